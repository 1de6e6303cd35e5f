-- Customer value: orders and refunds, the per-day purchase summary and per-account value
-- metrics kept in the same transaction as each order, the workspace's value settings
-- (reporting currency, exchange rates, margin, discount, risk bands) and the fitted models.
CREATE TABLE workspace_value_settings (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    reporting_currency TEXT NOT NULL,
    exchange_rates TEXT NOT NULL,
    default_margin_percent DOUBLE NOT NULL,
    monthly_discount_rate DOUBLE NOT NULL,
    risk_thresholds TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    external_id TEXT,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    cost BIGINT,
    reporting_amount BIGINT NOT NULL,
    reporting_cost BIGINT,
    refunded_amount BIGINT NOT NULL,
    status TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    purchase_day INTEGER NOT NULL,
    channel TEXT,
    items TEXT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX orders_external_id ON orders (workspace_id, external_id);
CREATE INDEX orders_list ON orders (workspace_id, occurred_at, id);
CREATE INDEX orders_by_account ON orders (workspace_id, account_id, occurred_at, id);
CREATE INDEX orders_by_account_day ON orders (workspace_id, account_id, purchase_day);

CREATE TABLE order_refunds (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders (id),
    amount BIGINT NOT NULL,
    reason TEXT,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_refunds_by_order ON order_refunds (order_id, id);

-- One row per account and UTC day with a purchase that still counts: recomputed from the
-- orders of that day whenever one of them is written, so it is exact by construction.
CREATE TABLE account_purchase_days (
    workspace_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    day INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    revenue BIGINT NOT NULL,
    costed_revenue BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    first_at TIMESTAMP NOT NULL,
    last_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, day)
);

CREATE TABLE account_metrics (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts (id),
    workspace_id TEXT NOT NULL,
    orders_count BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    costed_revenue BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    first_order_at TIMESTAMP,
    last_order_at TIMESTAMP,
    first_day INTEGER,
    last_day INTEGER,
    repeat_purchases BIGINT NOT NULL,
    repeat_revenue BIGINT NOT NULL,
    rfm_r INTEGER,
    rfm_f INTEGER,
    rfm_m INTEGER,
    rfm_segment TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX account_metrics_by_segment ON account_metrics (workspace_id, rfm_segment, account_id);
CREATE INDEX account_metrics_list ON account_metrics (workspace_id, account_id);

-- Fitted models, versioned per workspace; the newest version is the current one.
CREATE TABLE value_models (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    version BIGINT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    fitted_at TIMESTAMP NOT NULL,
    customers BIGINT NOT NULL,
    bgnbd TEXT,
    gamma_gamma TEXT,
    rfm_breakpoints TEXT,
    report TEXT NOT NULL
);
CREATE UNIQUE INDEX value_models_version ON value_models (workspace_id, version);

-- Background jobs shared by several API nodes: one holder at a time per job name.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP
);
