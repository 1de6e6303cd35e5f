-- Campaigns on a segment with a control group (issue #21). A launch snapshots the audience
-- into campaign_members (each member's arm and the strata the results are broken down by);
-- results are aggregated at read time from those members and the orders in the window.
CREATE TABLE campaigns (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    goal TEXT,
    channel TEXT NOT NULL,
    segment_id TEXT COLLATE "C" NOT NULL REFERENCES segments (id),
    -- The offer it carries: no offers table yet, so no foreign key.
    offer_id TEXT COLLATE "C",
    currency TEXT NOT NULL,
    cost_fixed BIGINT NOT NULL,
    cost_per_contact BIGINT NOT NULL,
    attribution_window_days INTEGER NOT NULL,
    control_share DOUBLE PRECISION NOT NULL,
    stratify BOOLEAN NOT NULL,
    respect_global_control BOOLEAN NOT NULL,
    conversion_category TEXT,
    -- draft, launched, completed
    status TEXT NOT NULL,
    launched_at TIMESTAMP,
    ends_at TIMESTAMP,
    completed_at TIMESTAMP,
    -- Counted at launch.
    eligible BIGINT NOT NULL,
    excluded_no_consent BIGINT NOT NULL,
    excluded_global_control BIGINT NOT NULL,
    treated BIGINT NOT NULL,
    control BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX campaigns_list ON campaigns (workspace_id, id);
CREATE INDEX campaigns_running ON campaigns (ends_at) WHERE status = 'launched';

-- The audience as launched: fixed from then on.
CREATE TABLE campaign_members (
    campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    account_id TEXT COLLATE "C" NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    -- treatment or control
    arm TEXT NOT NULL,
    rfm_segment TEXT,
    risk_band TEXT,
    PRIMARY KEY (campaign_id, account_id)
);
CREATE INDEX campaign_members_by_arm ON campaign_members (campaign_id, arm, account_id);

-- What the sending system reported for treated members, once per outcome.
CREATE TABLE campaign_exposures (
    campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    account_id TEXT COLLATE "C" NOT NULL,
    outcome TEXT NOT NULL,
    workspace_id TEXT COLLATE "C" NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, account_id, outcome)
);

-- The workspace's global control group: customers left out of every campaign that respects
-- it; a re-draw increments the epoch.
CREATE TABLE campaign_settings (
    workspace_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES workspaces (id),
    global_control_share DOUBLE PRECISION NOT NULL,
    global_control_epoch BIGINT NOT NULL,
    redrawn_at TIMESTAMP,
    -- Re-draw automatically every this many days (checked at each launch); NULL: by hand only.
    redraw_every_days INTEGER,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
