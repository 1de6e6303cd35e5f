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
UPDATE deal_stage_changes SET to_stage_number = COALESCE(
    (SELECT s.number FROM pipeline_stages s WHERE s.id = deal_stage_changes.to_stage_id), 0);

-- When the deal's first and latest stay began (NULL: no history), and the numbers of every
-- stage it ever entered, ascending, comma-separated ("0,1,3"). A deal whose whole history
-- lies inside an analytics period counts in the funnel from these alone.
ALTER TABLE deals ADD COLUMN first_stage_change_at TIMESTAMP;
ALTER TABLE deals ADD COLUMN last_stage_change_at TIMESTAMP;
ALTER TABLE deals ADD COLUMN stages_entered TEXT NOT NULL DEFAULT '';
UPDATE deals SET
    first_stage_change_at =
        (SELECT MIN(changed_at) FROM deal_stage_changes c WHERE c.deal_id = deals.id),
    last_stage_change_at =
        (SELECT MAX(changed_at) FROM deal_stage_changes c WHERE c.deal_id = deals.id),
    stages_entered = COALESCE((
        SELECT group_concat(number, ',') FROM (
            SELECT DISTINCT to_stage_number AS number FROM deal_stage_changes c
            WHERE c.deal_id = deals.id ORDER BY to_stage_number)), '');
CREATE INDEX deals_funnel ON deals
    (workspace_id, pipeline_id, first_stage_change_at, last_stage_change_at, stages_entered);

-- Stays by the UTC day they began (days since 1970-01-01), stage number and whole hours
-- stayed (-1: not left yet). A move adds its new stay here and moves the stay it ends from
-- -1 to its length.
CREATE TABLE deal_stay_days (
    workspace_id TEXT NOT NULL,
    pipeline_id TEXT NOT NULL REFERENCES pipelines (id),
    day INTEGER NOT NULL,
    stage_number INTEGER NOT NULL,
    hours BIGINT NOT NULL,
    stays BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, pipeline_id, day, stage_number, hours)
);
INSERT INTO deal_stay_days (workspace_id, pipeline_id, day, stage_number, hours, stays)
SELECT workspace_id, pipeline_id,
    CAST(julianday(substr(changed_at, 1, 10)) - julianday('1970-01-01') AS INTEGER),
    to_stage_number, COALESCE(seconds_in_stage / 3600, -1), COUNT(*)
FROM deal_stage_changes
GROUP BY 1, 2, 3, 4, 5;

-- The history is now scanned only for the partial days at the ends of a period.
DROP INDEX deal_stage_changes_by_period;
CREATE INDEX deal_stage_changes_by_period ON deal_stage_changes
    (workspace_id, pipeline_id, changed_at, to_stage_number, seconds_in_stage);

-- Cover the forecast and the closed-deal groups.
DROP INDEX deals_by_closed;
CREATE INDEX deals_by_closed ON deals
    (workspace_id, pipeline_id, closed_at, status, source, currency, amount)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_open_forecast ON deals
    (workspace_id, pipeline_id, status, currency, expected_close_on, owner_id, stage_id, amount)
    WHERE deleted_at IS NULL;
