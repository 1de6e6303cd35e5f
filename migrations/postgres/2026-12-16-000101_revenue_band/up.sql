-- Every order changes its account's revenue. With `revenue` in an index
-- (`account_metrics_by_revenue`, migration 2026-12-06-000001), no metrics update could be a
-- HOT update: each one wrote a new entry in every index of `account_metrics`, and order
-- ingestion ran 31 % slower for it (BENCHMARKS.md, "Order ingestion on PostgreSQL on a quiet
-- machine"). The index holds the revenue's decade instead (its number of digits, 0 for none
-- or less), which an order changes only when it crosses a power of ten. Segment rules on
-- revenue add the implied test on the band (`persistence::segments`), so a selective rule
-- still reads an index range, then checks the exact revenue on the rows it finds.
ALTER TABLE account_metrics ADD COLUMN revenue_band SMALLINT NOT NULL
    GENERATED ALWAYS AS (CASE WHEN revenue <= 0 THEN 0 ELSE length(revenue::text) END) STORED;
DROP INDEX account_metrics_by_revenue;
CREATE INDEX account_metrics_by_revenue_band ON account_metrics (workspace_id, revenue_band, account_id);
