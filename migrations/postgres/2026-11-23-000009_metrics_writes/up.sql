-- Order ingestion adds a batch to its purchase days instead of re-reading the days' orders,
-- and a refund reads one day's orders through orders_by_account (a day is a range of
-- occurred_at), so nothing reads orders by purchase day any more: one index fewer to
-- maintain on every order inserted.
DROP INDEX orders_by_account_day;
-- Every order rewrites its account's metrics row. Free room in each page lets PostgreSQL
-- update the row in place (a HOT update, no new index entries) when the indexed RFM segment
-- does not change, which is most of the time.
ALTER TABLE account_metrics SET (fillfactor = 80);
