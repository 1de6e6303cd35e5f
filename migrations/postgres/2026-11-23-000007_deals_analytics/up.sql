-- Pipeline analytics without reading the whole stage history on every request: stable stage
-- numbers, the funnel facts of each deal on its row, and stays rolled up per UTC day. All of
-- it is kept in the transaction of the move that changes it, and refers to stages by number,
-- never by position, so reordering or archiving stages rewrites nothing.

-- Given once per pipeline when the stage is created, never reused or changed.
ALTER TABLE pipeline_stages ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE pipeline_stages SET number = (
    SELECT COUNT(*) FROM pipeline_stages o
    WHERE o.pipeline_id = pipeline_stages.pipeline_id
      AND (o.position < pipeline_stages.position
           OR (o.position = pipeline_stages.position AND o.id < pipeline_stages.id)));
CREATE UNIQUE INDEX pipeline_stages_by_number ON pipeline_stages (pipeline_id, number);

-- The number of the stage the stay is in (the stage's `number`).
ALTER TABLE deal_stage_changes ADD COLUMN to_stage_number INTEGER NOT NULL DEFAULT 0;
UPDATE deal_stage_changes c SET to_stage_number = s.number
FROM pipeline_stages s WHERE s.id = c.to_stage_id;

-- When the deal's first and latest stay began (NULL: no history), and the numbers of every
-- stage it ever entered, ascending, comma-separated ("0,1,3"). A deal whose whole history
-- lies inside an analytics period counts in the funnel from these alone.
ALTER TABLE deals ADD COLUMN first_stage_change_at TIMESTAMP;
ALTER TABLE deals ADD COLUMN last_stage_change_at TIMESTAMP;
ALTER TABLE deals ADD COLUMN stages_entered TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE deals d SET first_stage_change_at = h.first_at, last_stage_change_at = h.last_at,
    stages_entered = h.entered
FROM (
    SELECT deal_id, MIN(first_at) AS first_at, MAX(last_at) AS last_at,
        string_agg(number::text, ',' ORDER BY number) AS entered
    FROM (
        SELECT deal_id, to_stage_number AS number, MIN(changed_at) AS first_at,
            MAX(changed_at) AS last_at
        FROM deal_stage_changes GROUP BY deal_id, to_stage_number
    ) per_stage
    GROUP BY deal_id
) h
WHERE h.deal_id = d.id;
CREATE INDEX deals_funnel ON deals
    (workspace_id, pipeline_id, first_stage_change_at, last_stage_change_at, stages_entered);

-- Stays by the UTC day they began (days since 1970-01-01), stage number and whole hours
-- stayed (-1: not left yet). A move adds its new stay here and moves the stay it ends from
-- -1 to its length.
CREATE TABLE deal_stay_days (
    workspace_id TEXT COLLATE "C" NOT NULL,
    pipeline_id TEXT COLLATE "C" NOT NULL REFERENCES pipelines (id),
    day INTEGER NOT NULL,
    stage_number INTEGER NOT NULL,
    hours BIGINT NOT NULL,
    stays BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, pipeline_id, day, stage_number, hours)
);
INSERT INTO deal_stay_days (workspace_id, pipeline_id, day, stage_number, hours, stays)
SELECT workspace_id, pipeline_id, changed_at::date - DATE '1970-01-01', to_stage_number,
    COALESCE(seconds_in_stage / 3600, -1), COUNT(*)
FROM deal_stage_changes
GROUP BY workspace_id, pipeline_id, changed_at::date - DATE '1970-01-01', to_stage_number,
    COALESCE(seconds_in_stage / 3600, -1);

-- The history is now scanned only for the partial days at the ends of a period.
DROP INDEX deal_stage_changes_by_period;
CREATE INDEX deal_stage_changes_by_period ON deal_stage_changes
    (workspace_id, pipeline_id, changed_at, to_stage_number, seconds_in_stage);

-- Cover the forecast and the closed-deal groups (index-only scans).
DROP INDEX deals_by_closed;
CREATE INDEX deals_by_closed ON deals (workspace_id, pipeline_id, closed_at)
    INCLUDE (status, source, currency, amount) WHERE deleted_at IS NULL;
CREATE INDEX deals_open_forecast ON deals (workspace_id, pipeline_id, status)
    INCLUDE (currency, expected_close_on, owner_id, stage_id, amount) WHERE deleted_at IS NULL;
