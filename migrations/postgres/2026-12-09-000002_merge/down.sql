DROP INDEX accounts_merged_into;
ALTER TABLE accounts DROP COLUMN merged_into;
