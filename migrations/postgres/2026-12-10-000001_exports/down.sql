ALTER TABLE privacy_settings DROP COLUMN export_retention_hours;
DROP TABLE export_chunks;
DROP TABLE export_jobs;
