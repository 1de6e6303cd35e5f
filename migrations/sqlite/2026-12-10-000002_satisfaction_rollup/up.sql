-- Satisfaction analytics at scale (issue #23): every survey response counted per workspace,
-- UTC day (days since 1970-01-01), touchpoint and channel ('' for none), kept in the
-- transaction that records the response. Responses are never deleted or moved across
-- these keys (a merge moves them to another account only), so the rollup holds every
-- response ever recorded; the report subtracts those of accounts deleted now.
CREATE TABLE feedback_daily (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    day INTEGER NOT NULL,
    touchpoint TEXT NOT NULL,
    channel TEXT NOT NULL,
    responses BIGINT NOT NULL,
    nps_responses BIGINT NOT NULL,
    promoters BIGINT NOT NULL,
    detractors BIGINT NOT NULL,
    csat_responses BIGINT NOT NULL,
    csat_sum BIGINT NOT NULL,
    csat_satisfied BIGINT NOT NULL,
    ces_responses BIGINT NOT NULL,
    ces_sum BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, day, touchpoint, channel)
);

INSERT INTO feedback_daily (workspace_id, day, touchpoint, channel, responses, nps_responses,
    promoters, detractors, csat_responses, csat_sum, csat_satisfied, ces_responses, ces_sum)
SELECT workspace_id, CAST(strftime('%s', date(occurred_at)) AS INTEGER) / 86400, touchpoint, COALESCE(channel, ''),
    COUNT(*), COUNT(nps),
    SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END),
    COUNT(csat), COALESCE(SUM(csat), 0), SUM(CASE WHEN csat >= 4 THEN 1 ELSE 0 END),
    COUNT(ces), COALESCE(SUM(ces), 0)
FROM feedback_responses
GROUP BY workspace_id, CAST(strftime('%s', date(occurred_at)) AS INTEGER) / 86400, touchpoint, COALESCE(channel, '');

-- The report's correction for deleted accounts reads only them.
CREATE INDEX accounts_deleted ON accounts (workspace_id, id) WHERE deleted_at IS NOT NULL;
