-- Satisfaction analytics at scale (issue #23): every survey response counted per account and
-- calendar month (UTC; `month` = year × 12 + month − 1), with the month's latest NPS response
-- (latest `occurred_at`, then highest id), kept in the transaction that records the response
-- and rebuilt from the responses for the accounts a merge touches. The report's breakdowns by
-- the account's current RFM segment, tier and owner and its value by NPS category read these
-- rows for the window's whole months (responses of the partial months at its edges are read
-- one by one). Deleted accounts' rows stay: the report joins live accounts, so a restore
-- brings them back.
CREATE TABLE feedback_account_months (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL,
    month INTEGER NOT NULL,
    responses BIGINT NOT NULL,
    nps_responses BIGINT NOT NULL,
    promoters BIGINT NOT NULL,
    detractors BIGINT NOT NULL,
    csat_responses BIGINT NOT NULL,
    csat_sum BIGINT NOT NULL,
    csat_satisfied BIGINT NOT NULL,
    ces_responses BIGINT NOT NULL,
    ces_sum BIGINT NOT NULL,
    latest_nps_at TIMESTAMP,
    latest_nps_id TEXT,
    latest_nps_category TEXT,
    PRIMARY KEY (workspace_id, account_id, month)
);

INSERT INTO feedback_account_months (workspace_id, account_id, month, responses, nps_responses,
    promoters, detractors, csat_responses, csat_sum, csat_satisfied, ces_responses, ces_sum,
    latest_nps_at, latest_nps_id, latest_nps_category)
SELECT g.workspace_id, g.account_id, g.month, g.responses, g.nps_responses, g.promoters,
    g.detractors, g.csat_responses, g.csat_sum, g.csat_satisfied, g.ces_responses, g.ces_sum,
    l.occurred_at, l.id, l.nps_category
FROM (
    SELECT workspace_id, account_id,
        CAST(strftime('%Y', occurred_at) AS INTEGER) * 12 + CAST(strftime('%m', occurred_at) AS INTEGER) - 1 AS month,
        COUNT(*) AS responses, COUNT(nps) AS nps_responses,
        SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END) AS promoters,
        SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS detractors,
        COUNT(csat) AS csat_responses, COALESCE(SUM(csat), 0) AS csat_sum,
        SUM(CASE WHEN csat >= 4 THEN 1 ELSE 0 END) AS csat_satisfied,
        COUNT(ces) AS ces_responses, COALESCE(SUM(ces), 0) AS ces_sum
    FROM feedback_responses
    GROUP BY 1, 2, 3
) g
LEFT JOIN (
    SELECT workspace_id, account_id, id, occurred_at, nps_category,
        CAST(strftime('%Y', occurred_at) AS INTEGER) * 12 + CAST(strftime('%m', occurred_at) AS INTEGER) - 1 AS month,
        ROW_NUMBER() OVER (PARTITION BY workspace_id, account_id,
            strftime('%Y-%m', occurred_at)
            ORDER BY occurred_at DESC, id DESC) AS rn
    FROM feedback_responses
    WHERE nps IS NOT NULL
) l ON l.rn = 1 AND l.workspace_id = g.workspace_id AND l.account_id = g.account_id AND l.month = g.month;
