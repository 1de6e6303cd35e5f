-- Offers, personal vouchers and their history (issue #22). An offer is a catalogue entry;
-- a voucher is one offer issued to one account under a unique code, redeemed through an
-- order. The offer's counters (issued, redemptions, spent) are updated under the offer's
-- row lock by every redemption and reinstatement, so caps and the budget hold.
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    description TEXT,
    -- percent_discount, fixed_discount, bonus_points, free_reward, free_shipping, custom
    kind TEXT NOT NULL,
    percent INTEGER,
    amount BIGINT,
    currency TEXT,
    points BIGINT,
    points_multiplier DOUBLE,
    reward_id TEXT,
    benefit TEXT,
    -- JSON: segment_id, tiers, min_clv, risk_bands, channel_consent
    eligibility TEXT NOT NULL,
    valid_from TIMESTAMP,
    valid_until TIMESTAMP,
    voucher_valid_days INTEGER,
    cost_per_redemption BIGINT NOT NULL,
    budget BIGINT,
    per_customer_cap BIGINT,
    total_cap BIGINT,
    campaign_id TEXT,
    -- active or paused
    status TEXT NOT NULL,
    issued BIGINT NOT NULL,
    redemptions BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX offers_list ON offers (workspace_id, id);

CREATE TABLE vouchers (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    offer_id TEXT NOT NULL REFERENCES offers (id),
    account_id TEXT NOT NULL,
    -- Unique across workspaces: a code names one voucher.
    code TEXT NOT NULL UNIQUE,
    -- issued, viewed, redeemed, expired, cancelled
    state TEXT NOT NULL,
    valid_until TIMESTAMP,
    campaign_id TEXT,
    order_id TEXT,
    -- What the redemption gave: minor units of discount_currency, and its cost in the
    -- reporting currency (counted in the offer's spent).
    discount BIGINT NOT NULL,
    discount_currency TEXT,
    cost BIGINT NOT NULL,
    bonus_points BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    redeemed_at TIMESTAMP,
    expiring_announced_at TIMESTAMP,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX vouchers_by_account ON vouchers (workspace_id, account_id, id);
CREATE INDEX vouchers_by_offer ON vouchers (offer_id, account_id);
CREATE INDEX vouchers_by_order ON vouchers (order_id);
CREATE INDEX vouchers_open ON vouchers (valid_until) WHERE state IN ('issued', 'viewed');

CREATE TABLE voucher_history (
    id TEXT PRIMARY KEY NOT NULL,
    voucher_id TEXT NOT NULL REFERENCES vouchers (id),
    workspace_id TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    order_id TEXT,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX voucher_history_by_voucher ON voucher_history (voucher_id, at);
