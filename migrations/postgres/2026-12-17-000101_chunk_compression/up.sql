-- Import and export files are stored in 256 KiB chunks of CSV or NDJSON. PostgreSQL
-- compresses each chunk when it stores it, with pglz by default, and pglz was the largest
-- single cost of the database during an export of 1,000,000 accounts (BENCHMARKS.md,
-- "Export of 1,000,000 accounts: the file stored while the snapshot is read"). lz4
-- compresses several times faster. `SET COMPRESSION` needs PostgreSQL 14 or later built with
-- lz4 (Debian's packages and the official images are); on a server without it the columns
-- keep the default and the migration still succeeds. Only chunks stored from now on change.
DO $$
BEGIN
    ALTER TABLE export_chunks ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE import_chunks ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'import and export chunks keep the default compression: %', SQLERRM;
END $$;
