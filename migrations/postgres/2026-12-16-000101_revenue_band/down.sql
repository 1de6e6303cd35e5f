DROP INDEX account_metrics_by_revenue_band;
ALTER TABLE account_metrics DROP COLUMN revenue_band;
CREATE INDEX account_metrics_by_revenue ON account_metrics (workspace_id, revenue, account_id);
