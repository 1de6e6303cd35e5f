-- Loyalty points: the workspace's programme, members (one row per account: the row a write
-- locks, the tier, and the ledger sum kept in the same transaction as every entry), point
-- lots (FIFO spending and expiry), the immutable ledger, the rewards catalog and redemptions.
CREATE TABLE loyalty_programs (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    currency TEXT NOT NULL,
    definition TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE loyalty_members (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    workspace_id TEXT NOT NULL,
    tier INTEGER NOT NULL,
    ledger_sum BIGINT NOT NULL,
    tier_evaluated_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX loyalty_members_by_workspace ON loyalty_members (workspace_id, account_id);

CREATE TABLE loyalty_lots (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    source_type TEXT NOT NULL,
    source_id TEXT,
    earned_at TIMESTAMP NOT NULL,
    points BIGINT NOT NULL,
    remaining BIGINT NOT NULL,
    expired BIGINT NOT NULL,
    available_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    spend_minor BIGINT NOT NULL,
    refunded_minor BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (remaining >= 0 AND expired >= 0 AND remaining + expired <= points)
);
CREATE INDEX loyalty_lots_by_account ON loyalty_lots (workspace_id, account_id, remaining);
CREATE UNIQUE INDEX loyalty_lots_by_source ON loyalty_lots (workspace_id, source_type, source_id);
CREATE INDEX loyalty_lots_expiring ON loyalty_lots (expires_at, remaining);

CREATE TABLE loyalty_entries (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL,
    points BIGINT NOT NULL,
    spend_minor BIGINT NOT NULL,
    lot_id TEXT,
    source_type TEXT NOT NULL,
    source_id TEXT,
    idempotency_key TEXT NOT NULL,
    reason TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX loyalty_entries_by_key ON loyalty_entries (workspace_id, idempotency_key);
CREATE INDEX loyalty_entries_by_account ON loyalty_entries (workspace_id, account_id, id);

CREATE TABLE loyalty_rewards (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    description TEXT,
    points_cost BIGINT NOT NULL,
    stock BIGINT,
    available_from TIMESTAMP,
    available_until TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    CHECK (stock IS NULL OR stock >= 0)
);
CREATE INDEX loyalty_rewards_list ON loyalty_rewards (workspace_id, id);

CREATE TABLE loyalty_redemptions (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    reward_id TEXT REFERENCES loyalty_rewards (id),
    points BIGINT NOT NULL,
    status TEXT NOT NULL,
    entry_id TEXT NOT NULL REFERENCES loyalty_entries (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX loyalty_redemptions_by_account ON loyalty_redemptions (workspace_id, account_id, id);
