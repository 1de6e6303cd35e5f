-- The customer record: accounts, the people at them, the timeline, and the conventions
-- every write shares (idempotency keys).
CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    emails TEXT NOT NULL,
    phones TEXT NOT NULL,
    address TEXT,
    tags TEXT NOT NULL,
    attributes TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL,
    owner_id TEXT ,
    acquisition_channel TEXT,
    acquisition_cost_amount BIGINT,
    acquisition_cost_currency TEXT,
    marketing_consent TEXT NOT NULL,
    external_id TEXT ,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX accounts_external_id ON accounts (workspace_id, external_id);
CREATE INDEX accounts_list ON accounts (workspace_id, id);
CREATE INDEX accounts_by_created ON accounts (workspace_id, created_at, id);
CREATE INDEX accounts_by_updated ON accounts (workspace_id, updated_at, id);
CREATE INDEX accounts_by_name ON accounts (workspace_id, name, id);
CREATE INDEX accounts_by_stage ON accounts (workspace_id, lifecycle_stage, id);
CREATE INDEX accounts_by_owner ON accounts (workspace_id, owner_id, id);

CREATE TABLE account_tags (
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (account_id, tag)
);
CREATE INDEX account_tags_by_tag ON account_tags (workspace_id, tag, account_id);

-- Prefix search on name words, e-mails and phone digits through an ordinary B-tree index:
-- the same plan on both backends (a range scan term >= q AND term < q || max).
CREATE TABLE account_search_terms (
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    term TEXT NOT NULL,
    PRIMARY KEY (account_id, term)
);
CREATE INDEX account_search_terms_by_term ON account_search_terms (workspace_id, term, account_id);

CREATE TABLE account_lifecycle_changes (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX account_lifecycle_changes_by_account ON account_lifecycle_changes (account_id, id);

CREATE TABLE consent_events (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    method TEXT,
    source TEXT,
    occurred_at TIMESTAMP NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX consent_events_by_account ON consent_events (account_id, id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    title TEXT,
    email TEXT,
    phone TEXT,
    is_primary BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX contacts_by_account ON contacts (workspace_id, account_id, id);

CREATE TABLE interactions (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    contact_id TEXT  REFERENCES contacts (id),
    type TEXT NOT NULL,
    channel TEXT,
    direction TEXT,
    subject TEXT,
    body TEXT,
    occurred_at TIMESTAMP NOT NULL,
    author_type TEXT NOT NULL,
    author_id TEXT,
    due_at TIMESTAMP,
    done_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX interactions_timeline ON interactions (workspace_id, account_id, occurred_at, id);

CREATE TABLE idempotency_keys (
    workspace_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
