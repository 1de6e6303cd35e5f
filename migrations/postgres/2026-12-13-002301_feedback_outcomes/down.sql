ALTER TABLE feedback_account_months
    DROP COLUMN latest_nps_orders,
    DROP COLUMN latest_nps_revenue,
    DROP COLUMN next_nps_month;
ALTER TABLE feedback_responses
    DROP COLUMN outcome_orders,
    DROP COLUMN outcome_revenue;
