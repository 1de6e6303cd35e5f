-- Order ingestion: an inserted order no longer checks (and key-share locks) its workspace
-- row. Every order of a batch did, on the one row all of the workspace's concurrent batches
-- share, which turned those locks into multixacts and made the foreign-key checks about a
-- third of an insert's time. The order's account still references the account (whose row
-- references the workspace), and the service checks the account is in the caller's
-- workspace before it writes.
ALTER TABLE orders DROP CONSTRAINT orders_workspace_id_fkey;
