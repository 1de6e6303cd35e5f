ALTER TABLE account_predictions ADD CONSTRAINT account_predictions_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
ALTER TABLE account_metrics ADD CONSTRAINT account_metrics_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
