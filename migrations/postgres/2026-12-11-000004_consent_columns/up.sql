-- Each channel's consent status as a plain column, kept by PostgreSQL from the consent JSON:
-- segment rules on consent compare a column instead of parsing every account's JSON text.
ALTER TABLE accounts
    ADD COLUMN consent_email TEXT COLLATE "C" GENERATED ALWAYS AS ((marketing_consent::jsonb) -> 'email' ->> 'status') STORED,
    ADD COLUMN consent_sms TEXT COLLATE "C" GENERATED ALWAYS AS ((marketing_consent::jsonb) -> 'sms' ->> 'status') STORED,
    ADD COLUMN consent_push TEXT COLLATE "C" GENERATED ALWAYS AS ((marketing_consent::jsonb) -> 'push' ->> 'status') STORED;
