-- Erasure (GDPR): an erased account keeps its id and the numbers the business may keep
-- (orders, ledger), with every personal field removed; erased_at says when.
ALTER TABLE accounts ADD COLUMN erased_at TIMESTAMP;

-- The workspace's retention of soft-deleted accounts: erased that many days after their
-- deletion (NULL: never).
CREATE TABLE privacy_settings (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    soft_deleted_days INTEGER,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
