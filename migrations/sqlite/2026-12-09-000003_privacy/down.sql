DROP TABLE privacy_settings;
ALTER TABLE accounts DROP COLUMN erased_at;
