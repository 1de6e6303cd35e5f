-- PostgreSQL replaces its index on metrics' revenue by one on the revenue's decade here, so
-- that an order's metrics update can be a HOT update (see its migration). SQLite has no HOT
-- updates: an update rewrites the row and the index entries of the columns it changes either
-- way, and keeps `account_metrics_by_revenue`.
SELECT 1;
