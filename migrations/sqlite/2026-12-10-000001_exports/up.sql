-- Export jobs (issue #25): a snapshot of one resource, filtered as its list, written by any
-- node's worker (under a lease on the job row) into 256 KiB chunks any node can serve, kept
-- until expires_at (the workspace's export_retention_hours after completion) then purged.
CREATE TABLE export_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    export_type TEXT NOT NULL,
    format TEXT NOT NULL,
    -- JSON object: the list's filters, as given
    filters TEXT NOT NULL,
    -- queued, running, succeeded, failed, cancelled or expired
    status TEXT NOT NULL,
    rows_written BIGINT NOT NULL,
    bytes_written BIGINT NOT NULL,
    chunks BIGINT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    scopes TEXT NOT NULL,
    lease_holder TEXT,
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    expires_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX export_jobs_list ON export_jobs (workspace_id, id);
CREATE INDEX export_jobs_due ON export_jobs (status, created_at);
CREATE INDEX export_jobs_expiry ON export_jobs (status, expires_at);

CREATE TABLE export_chunks (
    job_id TEXT NOT NULL REFERENCES export_jobs (id),
    seq BIGINT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- Hours a finished export stays downloadable (NULL: the default, 168 = 7 days).
ALTER TABLE privacy_settings ADD COLUMN export_retention_hours INTEGER;
