-- An order's first purchase inserts its account's metrics row, and (with a fitted model)
-- its predictions row; each insert checked and key-share locked the account row through a
-- foreign key. On an import of a shop's history, where most orders are an account's first,
-- the check doubled the metrics upsert: 50 batches of 1,000 new rows over 1,000,000
-- accounts took 8.3 s with it and 3.8 s without (psql, the same session, load 8). What the
-- constraints guaranteed still holds, as for orders and purchase days (migration
-- 2026-11-23-000010): both rows are only written for an account the writing transaction
-- resolved live in its workspace, and account rows are never deleted (soft delete and
-- erasure keep the row).
ALTER TABLE account_metrics DROP CONSTRAINT account_metrics_account_id_fkey;
ALTER TABLE account_predictions DROP CONSTRAINT account_predictions_account_id_fkey;
