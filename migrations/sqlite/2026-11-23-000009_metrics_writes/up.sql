-- Nothing reads orders by purchase day any more (see the PostgreSQL migration).
DROP INDEX orders_by_account_day;
