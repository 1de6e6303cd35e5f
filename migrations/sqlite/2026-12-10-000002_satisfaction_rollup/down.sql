DROP INDEX accounts_deleted;
DROP TABLE feedback_daily;
