-- Merged accounts: a merged account is soft-deleted and points at the account it was merged
-- into, so reads of its id answer with the survivor.
ALTER TABLE accounts ADD COLUMN merged_into TEXT REFERENCES accounts (id);
CREATE INDEX accounts_merged_into ON accounts (workspace_id, merged_into);
