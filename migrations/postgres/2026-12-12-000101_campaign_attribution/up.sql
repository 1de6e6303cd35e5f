-- Ingestion-time attribution (issue #21): each campaign member keeps running sums of the
-- orders that count for the campaign (occurred_at in the window, not fully refunded, of the
-- conversion category when there is one), maintained by every order write, refund and merge,
-- so results read the members only instead of joining them with the window's orders.
-- `attributed_from` / `attributed_to`: the window the members' sums cover (set at launch);
-- results scan the orders instead when the campaign's window no longer equals it.
ALTER TABLE campaigns
    ADD COLUMN attributed_from TIMESTAMP,
    ADD COLUMN attributed_to TIMESTAMP;
ALTER TABLE campaign_members
    ADD COLUMN orders BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN revenue BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN margin BIGINT NOT NULL DEFAULT 0;
-- An order batch finds its accounts' memberships with one look-up through this index.
CREATE INDEX campaign_members_by_account ON campaign_members (workspace_id, account_id, campaign_id);

-- Campaigns launched before this migration: their sums from their orders, as results
-- computed them until now.
UPDATE campaigns SET attributed_from = launched_at, attributed_to = ends_at
WHERE launched_at IS NOT NULL AND ends_at IS NOT NULL;
UPDATE campaign_members m SET orders = s.orders, revenue = s.revenue, margin = s.margin
FROM (
    SELECT m2.campaign_id, m2.account_id, COUNT(*) AS orders,
        CAST(SUM(CASE WHEN o.refunded_amount <= 0 THEN o.reporting_amount
            WHEN o.amount <= 0 OR o.refunded_amount >= o.amount THEN 0
            ELSE o.reporting_amount * (o.amount - o.refunded_amount) / o.amount END) AS BIGINT) AS revenue,
        CAST(SUM(CASE WHEN o.reporting_cost IS NULL THEN 0 ELSE
            (CASE WHEN o.refunded_amount <= 0 THEN o.reporting_amount
                WHEN o.amount <= 0 OR o.refunded_amount >= o.amount THEN 0
                ELSE o.reporting_amount * (o.amount - o.refunded_amount) / o.amount END)
            - (CASE WHEN o.refunded_amount <= 0 THEN o.reporting_cost
                WHEN o.amount <= 0 OR o.refunded_amount >= o.amount THEN 0
                ELSE o.reporting_cost * (o.amount - o.refunded_amount) / o.amount END) END) AS BIGINT) AS margin
    FROM campaign_members m2
    JOIN campaigns c ON c.id = m2.campaign_id AND c.attributed_from IS NOT NULL
    JOIN orders o ON o.workspace_id = m2.workspace_id AND o.account_id = m2.account_id
        AND o.occurred_at >= c.attributed_from AND o.occurred_at < c.attributed_to
        AND (o.refunded_amount < o.amount OR (o.amount = 0 AND o.refunded_amount = 0))
        AND (c.conversion_category IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(o.items::jsonb) item
            WHERE item ->> 'category' = c.conversion_category))
    GROUP BY m2.campaign_id, m2.account_id
) s
WHERE m.campaign_id = s.campaign_id AND m.account_id = s.account_id;
