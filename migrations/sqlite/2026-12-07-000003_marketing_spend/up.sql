-- Marketing spend per acquisition channel per calendar month (UTC), in the reporting
-- currency, for customer acquisition cost: one row per (channel, month), written by upsert.
CREATE TABLE marketing_spend (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    channel TEXT NOT NULL,
    -- `YYYY-MM`.
    month TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, channel, month)
);
