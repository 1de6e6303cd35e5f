-- Product recommendations (item-to-item co-occurrence), rebuilt per workspace by the refresh
-- job from orders' line items. Items are SKUs; a customer's basket is every SKU they bought.

-- Each SKU seen in the refresh: its latest name and category, how many customers bought it,
-- the median days between repeat purchases of it over every customer (NULL: too few), and
-- its strongest neighbours as a JSON array of [other SKU, customers who bought both,
-- cosine], strongest first (one row per SKU: a refresh writes SKUs, not pairs).
CREATE TABLE recommendation_items (
    workspace_id TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    sku TEXT COLLATE "C" NOT NULL,
    name TEXT,
    category TEXT,
    buyers BIGINT NOT NULL,
    repurchase_days BIGINT,
    neighbours TEXT NOT NULL,
    PRIMARY KEY (workspace_id, sku)
);

-- The last refresh of each workspace and what it read.
CREATE TABLE recommendation_refreshes (
    workspace_id TEXT COLLATE "C" PRIMARY KEY REFERENCES workspaces (id),
    refreshed_at TIMESTAMP NOT NULL,
    customers BIGINT NOT NULL,
    lines BIGINT NOT NULL,
    items BIGINT NOT NULL,
    pairs BIGINT NOT NULL
);
