DROP TABLE feedback_account_months;
