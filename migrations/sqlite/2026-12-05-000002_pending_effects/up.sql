-- After-commit effects of a write (cache generations to bump), stored in the write's
-- transaction and deleted once applied. A node that dies between the commit and the bump
-- leaves its row behind; the sweeper of any node applies rows older than a few seconds,
-- claiming them (claimed_until) so nodes share the work.
CREATE TABLE pending_effects (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    -- JSON array of the account ids whose cached views the write changed.
    account_ids TEXT NOT NULL,
    -- Every cached view of the workspace (a refit, new settings).
    whole_workspace BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP
);
CREATE INDEX pending_effects_created_at ON pending_effects (created_at);

-- Lots whose coming expiry was announced (loyalty.points_expiring): once per lot.
CREATE TABLE loyalty_lot_notices (
    lot_id TEXT PRIMARY KEY NOT NULL REFERENCES loyalty_lots (id),
    workspace_id TEXT NOT NULL,
    announced_at TIMESTAMP NOT NULL
);
