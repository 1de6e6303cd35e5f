-- PostgreSQL drops the order -> account and purchase day -> account foreign keys here (see
-- its migration). SQLite keeps them: one writer at a time, no row locks, and dropping a
-- constraint would rebuild the tables.
SELECT 1;
