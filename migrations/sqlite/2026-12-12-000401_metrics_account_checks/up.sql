-- PostgreSQL drops the metrics -> account and predictions -> account foreign keys here (see
-- its migration). SQLite keeps them, as it kept the orders' (2026-11-23-000010): one writer
-- at a time, no row locks, and dropping a constraint would rebuild the tables.
SELECT 1;
