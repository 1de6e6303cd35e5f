ALTER TABLE workspace_value_settings DROP COLUMN cost_to_serve;
