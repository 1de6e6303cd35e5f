-- PostgreSQL stores import and export chunks with lz4 from here (see its migration). SQLite
-- does not compress stored values.
SELECT 1;
