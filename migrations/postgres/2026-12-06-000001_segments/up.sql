-- Segments by rules. A rule is data (JSON, validated by rapport_domain::segments), compiled
-- to a query at read time: membership is always what the current data says.
CREATE TABLE segments (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    description TEXT,
    -- The rule's canonical JSON form.
    rule TEXT NOT NULL,
    -- Tracked segments keep their members in segment_memberships and publish
    -- customer.segment_entered / customer.segment_left.
    tracked BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX segments_list ON segments (workspace_id, id);
CREATE INDEX segments_tracked ON segments (workspace_id, id) WHERE tracked AND deleted_at IS NULL;

-- The members of tracked segments as last evaluated: every write re-evaluates the tracked
-- segments for the accounts it touched (the whole workspace for a refit), in its transaction.
CREATE TABLE segment_memberships (
    segment_id TEXT COLLATE "C" NOT NULL REFERENCES segments (id),
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    workspace_id TEXT COLLATE "C" NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (segment_id, account_id)
);
CREATE INDEX segment_memberships_by_account ON segment_memberships (account_id, segment_id);

-- Each buyer's model predictions, written by every model fit and by each order or refund of
-- the account (with the model then current): what rules on churn_probability, risk_band, clv
-- and expected_orders_90d compare, with an index like the stored RFM scores.
CREATE TABLE account_predictions (
    account_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES accounts (id),
    workspace_id TEXT COLLATE "C" NOT NULL,
    churn_probability DOUBLE PRECISION NOT NULL,
    expected_orders_90d DOUBLE PRECISION NOT NULL,
    clv BIGINT,
    predicted_at TIMESTAMP NOT NULL
);
CREATE INDEX account_predictions_by_churn ON account_predictions (workspace_id, churn_probability, account_id);
CREATE INDEX account_metrics_by_revenue ON account_metrics (workspace_id, revenue, account_id);
