DROP TABLE job_leases;
DROP TABLE value_models;
DROP TABLE account_metrics;
DROP TABLE account_purchase_days;
DROP TABLE order_refunds;
DROP TABLE orders;
DROP TABLE workspace_value_settings;
