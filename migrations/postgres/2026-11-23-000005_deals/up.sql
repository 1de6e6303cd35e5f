-- Sales pipelines with ordered stages, deals, and every stage change a deal went through.
CREATE TABLE pipelines (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP
);
CREATE INDEX pipelines_list ON pipelines (workspace_id, id);

-- A stage is never deleted: archived stages keep the history that points at them.
CREATE TABLE pipeline_stages (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    pipeline_id TEXT COLLATE "C" NOT NULL REFERENCES pipelines (id),
    name TEXT NOT NULL,
    probability INTEGER NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP
);
CREATE INDEX pipeline_stages_by_pipeline ON pipeline_stages (pipeline_id, position);

CREATE TABLE deals (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    contact_id TEXT COLLATE "C" REFERENCES contacts (id),
    title TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    pipeline_id TEXT COLLATE "C" NOT NULL REFERENCES pipelines (id),
    stage_id TEXT COLLATE "C" NOT NULL REFERENCES pipeline_stages (id),
    status TEXT COLLATE "C" NOT NULL,
    owner_id TEXT COLLATE "C",
    expected_close_on TEXT COLLATE "C",
    source TEXT COLLATE "C",
    lost_reason TEXT,
    stage_entered_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX deals_list ON deals (workspace_id, id);
CREATE INDEX deals_by_account ON deals (workspace_id, account_id, id);
CREATE INDEX deals_by_pipeline ON deals (workspace_id, pipeline_id, status);
CREATE INDEX deals_by_closed ON deals (workspace_id, pipeline_id, closed_at);

-- One row per stay of a deal in a stage: entered by a change (from -> to, who, when); the
-- stay's end and length are filled in when the deal leaves the stage.
CREATE TABLE deal_stage_changes (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    deal_id TEXT COLLATE "C" NOT NULL REFERENCES deals (id),
    pipeline_id TEXT COLLATE "C" NOT NULL,
    from_stage_id TEXT COLLATE "C",
    to_stage_id TEXT COLLATE "C" NOT NULL,
    lost_reason TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    changed_at TIMESTAMP NOT NULL,
    left_at TIMESTAMP,
    seconds_in_stage BIGINT
);
CREATE INDEX deal_stage_changes_by_deal ON deal_stage_changes (deal_id, changed_at, id);
-- Covers the funnel queries (period scans read nothing else).
CREATE INDEX deal_stage_changes_by_period ON deal_stage_changes (workspace_id, pipeline_id, changed_at, to_stage_id, seconds_in_stage, deal_id);
