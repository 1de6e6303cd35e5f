-- The outbox and event feed: every domain event, stored in the transaction of the change
-- that emitted it, numbered per workspace (1, 2, 3, … with no gaps among committed events:
-- the counter row is updated in the same transaction, so writers of one workspace take
-- their numbers in commit order).
CREATE TABLE event_sequences (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    last_seq BIGINT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    seq BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    -- JSON object: the resource after the change (for updates, also `changed_fields`).
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX events_workspace_seq ON events (workspace_id, seq);
CREATE INDEX events_occurred_at ON events (occurred_at);
