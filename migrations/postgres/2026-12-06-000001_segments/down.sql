DROP INDEX account_metrics_by_revenue;
DROP TABLE account_predictions;
DROP TABLE segment_memberships;
DROP TABLE segments;
