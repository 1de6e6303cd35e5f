-- Import jobs (issue #25): a file streamed into chunks, processed by any node's worker under
-- a lease, resumed from its checkpoint (the byte offset of the next record, written in the
-- transaction of each batch), with one error row per bad field.
CREATE TABLE import_jobs (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    import_type TEXT NOT NULL,
    format TEXT NOT NULL,
    -- uploading, queued, running, succeeded, failed or cancelled
    status TEXT NOT NULL,
    dry_run BOOLEAN NOT NULL,
    -- JSON object: file header -> field
    mapping TEXT NOT NULL,
    -- JSON array of the file's header, once read
    header TEXT,
    unknown_columns TEXT NOT NULL,
    bytes_total BIGINT NOT NULL,
    chunks BIGINT NOT NULL,
    byte_offset BIGINT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_created BIGINT NOT NULL,
    rows_updated BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    rows_failed BIGINT NOT NULL,
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
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX import_jobs_list ON import_jobs (workspace_id, created_at, id);
CREATE INDEX import_jobs_due ON import_jobs (status, created_at);

CREATE TABLE import_chunks (
    job_id TEXT COLLATE "C" NOT NULL REFERENCES import_jobs (id),
    seq BIGINT NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    data BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE import_errors (
    job_id TEXT COLLATE "C" NOT NULL REFERENCES import_jobs (id),
    row_number BIGINT NOT NULL,
    position BIGINT NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    field TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (job_id, row_number, position)
);
