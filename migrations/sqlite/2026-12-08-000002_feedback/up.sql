-- Customer feedback and service recovery (issue #23): survey responses (NPS, CSAT, CES),
-- each account's latest scores (kept in the response's transaction, read by profiles and
-- segment rules), complaints with their SLA, timeline and compensations, and the workspace's
-- complaint settings.
CREATE TABLE feedback_responses (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    external_id TEXT,
    nps INTEGER,
    -- promoter, passive or detractor (derived from nps)
    nps_category TEXT,
    csat INTEGER,
    ces INTEGER,
    touchpoint TEXT NOT NULL,
    channel TEXT,
    order_id TEXT,
    interaction_id TEXT,
    comment TEXT,
    occurred_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX feedback_responses_external ON feedback_responses (workspace_id, external_id);
CREATE INDEX feedback_responses_list ON feedback_responses (workspace_id, occurred_at, id);
CREATE INDEX feedback_responses_by_account ON feedback_responses (workspace_id, account_id, occurred_at);

CREATE TABLE account_satisfaction (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    nps INTEGER,
    nps_category TEXT,
    nps_at TIMESTAMP,
    csat INTEGER,
    csat_at TIMESTAMP,
    ces INTEGER,
    ces_at TIMESTAMP,
    responses BIGINT NOT NULL,
    last_response_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
);

CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    order_id TEXT,
    contact_id TEXT,
    interaction_id TEXT,
    feedback_id TEXT,
    category TEXT NOT NULL,
    -- low, medium, high, critical
    severity TEXT NOT NULL,
    channel TEXT,
    owner_id TEXT,
    subject TEXT NOT NULL,
    description TEXT,
    -- open, in_progress, waiting_for_customer, resolved, closed, reopened
    status TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    first_response_due_at TIMESTAMP NOT NULL,
    resolution_due_at TIMESTAMP NOT NULL,
    first_responded_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    -- When the SLA job published the breach (once each).
    first_response_breached_at TIMESTAMP,
    resolution_breached_at TIMESTAMP,
    outcome TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX complaints_list ON complaints (workspace_id, opened_at, id);
CREATE INDEX complaints_by_account ON complaints (workspace_id, account_id, status);
CREATE INDEX complaints_due ON complaints (resolution_due_at);

-- A complaint's timeline: status changes, notes, assignments, compensations.
CREATE TABLE complaint_history (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    body TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_history_of ON complaint_history (complaint_id, occurred_at, id);

-- What a complaint paid, once per kind (points, refund): a retried or repeated resolution
-- finds the row and pays nothing again.
CREATE TABLE complaint_compensations (
    workspace_id TEXT NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    kind TEXT NOT NULL,
    points BIGINT,
    amount BIGINT,
    currency TEXT,
    reporting_amount BIGINT,
    order_id TEXT,
    reference_id TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (complaint_id, kind)
);

CREATE TABLE complaint_settings (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    definition TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
