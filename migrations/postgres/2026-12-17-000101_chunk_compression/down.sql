DO $$
BEGIN
    ALTER TABLE export_chunks ALTER COLUMN data SET COMPRESSION DEFAULT;
    ALTER TABLE import_chunks ALTER COLUMN data SET COMPRESSION DEFAULT;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'import and export chunks keep their compression: %', SQLERRM;
END $$;
