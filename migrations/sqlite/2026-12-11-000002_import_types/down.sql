DROP INDEX import_jobs_by_status;
DROP INDEX interactions_external;
ALTER TABLE interactions DROP COLUMN external_id;
