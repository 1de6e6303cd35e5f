-- The purchase model a workspace predicts with (bg-nbd, mbg-nbd, pareto-nbd or auto), and
-- the one each fitted model version predicts with (JSON: parameters, fit, selection).
ALTER TABLE workspace_value_settings ADD COLUMN purchase_model TEXT NOT NULL DEFAULT 'bg-nbd';
ALTER TABLE value_models ADD COLUMN purchase_model TEXT;
