-- Webhook subscriptions and their delivery log. A subscription's cursor is the last event
-- (workspace sequence) it has handled: delivered, or given up on after the retry window.
-- A worker on any node takes a subscription by its lease (holder + expiry) and delivers its
-- events in order; another node takes over when the lease runs out.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    url TEXT NOT NULL,
    description TEXT,
    -- JSON array of type patterns: `order.created`, `order.*`, `*`.
    event_types TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    disabled_reason TEXT,
    secret TEXT NOT NULL,
    -- After a rotation the previous secret signs too, until it expires.
    previous_secret TEXT,
    previous_secret_expires_at TIMESTAMP,
    cursor_seq BIGINT NOT NULL,
    -- Attempts made at the event after the cursor, and when the first of them failed.
    head_attempts INTEGER NOT NULL DEFAULT 0,
    failing_since TIMESTAMP,
    next_attempt_at TIMESTAMP,
    lease_holder TEXT,
    lease_expires_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id, id);
CREATE INDEX webhooks_enabled ON webhooks (enabled, next_attempt_at);

-- One row per attempt (automatic, redelivery or ping).
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    -- 0 for a ping, which is not in the feed.
    event_seq BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    -- `automatic`, `redelivery` or `ping`.
    trigger TEXT NOT NULL,
    -- `delivered`, `retrying` or `failed`.
    outcome TEXT NOT NULL,
    status_code INTEGER,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    next_retry_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_created_at ON webhook_deliveries (created_at);
