-- Import types (issue 25): interactions get the caller's key, unique in the workspace, so an
-- import (or a retried create) writes each interaction once; uploads cut off by a crash are
-- found by their last chunk's time.
ALTER TABLE interactions ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX interactions_external ON interactions (workspace_id, external_id);
CREATE INDEX import_jobs_by_status ON import_jobs (status, updated_at);
