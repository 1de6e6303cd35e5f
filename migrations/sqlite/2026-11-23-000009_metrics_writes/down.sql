CREATE INDEX orders_by_account_day ON orders (workspace_id, account_id, purchase_day);
