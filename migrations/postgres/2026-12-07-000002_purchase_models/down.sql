ALTER TABLE value_models DROP COLUMN purchase_model;
ALTER TABLE workspace_value_settings DROP COLUMN purchase_model;
