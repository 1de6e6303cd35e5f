ALTER TABLE account_purchase_days ADD CONSTRAINT account_purchase_days_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
