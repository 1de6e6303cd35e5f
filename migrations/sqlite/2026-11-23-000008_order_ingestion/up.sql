-- PostgreSQL drops the order -> workspace foreign key here (see its migration). SQLite keeps
-- it: one writer at a time, no row locks, and dropping a constraint would rebuild the table.
SELECT 1;
