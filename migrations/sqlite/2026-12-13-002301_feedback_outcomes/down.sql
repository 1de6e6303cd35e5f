ALTER TABLE feedback_account_months DROP COLUMN latest_nps_orders;
ALTER TABLE feedback_account_months DROP COLUMN latest_nps_revenue;
ALTER TABLE feedback_account_months DROP COLUMN next_nps_month;
ALTER TABLE feedback_responses DROP COLUMN outcome_orders;
ALTER TABLE feedback_responses DROP COLUMN outcome_revenue;
