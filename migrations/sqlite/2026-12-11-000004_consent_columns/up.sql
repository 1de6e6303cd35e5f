-- Each channel's consent status as a column (virtual on SQLite, which cannot add a stored
-- one), so segment rules use the same column name on both backends.
ALTER TABLE accounts ADD COLUMN consent_email TEXT GENERATED ALWAYS AS (json_extract(marketing_consent, '$.email.status')) VIRTUAL;
ALTER TABLE accounts ADD COLUMN consent_sms TEXT GENERATED ALWAYS AS (json_extract(marketing_consent, '$.sms.status')) VIRTUAL;
ALTER TABLE accounts ADD COLUMN consent_push TEXT GENERATED ALWAYS AS (json_extract(marketing_consent, '$.push.status')) VIRTUAL;
