DROP TABLE complaint_settings;
DROP TABLE complaint_compensations;
DROP TABLE complaint_history;
DROP TABLE complaints;
DROP TABLE account_satisfaction;
DROP TABLE feedback_responses;
