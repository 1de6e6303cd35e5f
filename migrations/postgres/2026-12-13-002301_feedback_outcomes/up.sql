-- Satisfaction and value at write time (issue #23): each NPS response keeps what its customer
-- did in the 90 days after it, `(occurred_at, occurred_at + 90 days]`: `outcome_orders`
-- (orders not fully refunded) and `outcome_revenue` (net revenue in the reporting currency,
-- minor units), as the report's scan of the orders counts them. Kept by the order writes
-- (new orders add to the responses of the 90 days before them), refunds (the change in the
-- order's net revenue and count), the response's own write (its orders so far) and merges
-- (recomputed for the accounts involved). Responses without an NPS keep 0.
--
-- Each account-month of `feedback_account_months` carries its latest NPS response's outcome
-- (`latest_nps_orders`, `latest_nps_revenue`) and `next_nps_month`, the account's next month
-- with an NPS response (NULL: none yet). The account's latest NPS response before month `M`
-- is then in the one row with an NPS response, `month < M` and `next_nps_month` NULL or
-- `>= M`: the report picks each customer's latest response of a window with a filter, not a
-- sort per customer.
ALTER TABLE feedback_responses
    ADD COLUMN outcome_orders BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN outcome_revenue BIGINT NOT NULL DEFAULT 0;
ALTER TABLE feedback_account_months
    ADD COLUMN latest_nps_orders BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN latest_nps_revenue BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN next_nps_month INTEGER;

UPDATE feedback_responses f SET outcome_orders = v.orders, outcome_revenue = v.revenue
FROM (
    SELECT f2.id,
        COUNT(*) FILTER (WHERE o.status <> 'refunded') AS orders,
        CAST(SUM(o.reporting_amount - CASE WHEN o.amount > 0 THEN CAST(ROUND(CAST(o.refunded_amount AS DOUBLE PRECISION) * o.reporting_amount / o.amount) AS BIGINT) ELSE 0 END) AS BIGINT) AS revenue
    FROM feedback_responses f2
    JOIN orders o ON o.workspace_id = f2.workspace_id AND o.account_id = f2.account_id
        AND o.occurred_at > f2.occurred_at AND o.occurred_at <= f2.occurred_at + INTERVAL '90 days'
    WHERE f2.nps IS NOT NULL
    GROUP BY f2.id
) v
WHERE f.id = v.id;

UPDATE feedback_account_months m SET latest_nps_orders = f.outcome_orders,
    latest_nps_revenue = f.outcome_revenue
FROM feedback_responses f
WHERE f.id = m.latest_nps_id;

UPDATE feedback_account_months m SET next_nps_month = (
    SELECT MIN(n.month) FROM feedback_account_months n
    WHERE n.workspace_id = m.workspace_id AND n.account_id = m.account_id
        AND n.month > m.month AND n.latest_nps_at IS NOT NULL)
WHERE m.latest_nps_at IS NOT NULL;
