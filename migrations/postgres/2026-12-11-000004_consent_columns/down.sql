ALTER TABLE accounts DROP COLUMN consent_email, DROP COLUMN consent_sms, DROP COLUMN consent_push;
