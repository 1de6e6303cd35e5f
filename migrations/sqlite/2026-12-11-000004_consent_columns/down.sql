ALTER TABLE accounts DROP COLUMN consent_push;
ALTER TABLE accounts DROP COLUMN consent_sms;
ALTER TABLE accounts DROP COLUMN consent_email;
