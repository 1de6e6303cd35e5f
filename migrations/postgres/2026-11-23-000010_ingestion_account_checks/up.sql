-- Order ingestion: an inserted order and the purchase day it adds to no longer check (and
-- key-share lock) their account row through a foreign key. Those per-row checks were about
-- two thirds of the purchase-day insert and half of the order insert (11 ms each per batch of
-- 1,000 on the benchmark machine), and concurrent batches on shared accounts turned their
-- locks into multixacts. What the constraint guaranteed still holds: the service resolves
-- every order's account in the workspace, in the writing transaction, before it inserts;
-- purchase days are only written from orders; and account rows are never deleted (accounts
-- are soft-deleted), so a reference that was valid when written stays valid. Refunds,
-- metrics and loyalty keep their foreign keys.
ALTER TABLE orders DROP CONSTRAINT orders_account_id_fkey;
ALTER TABLE account_purchase_days DROP CONSTRAINT account_purchase_days_account_id_fkey;
