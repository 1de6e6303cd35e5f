-- PostgreSQL drops the campaign_members -> campaigns foreign key here (see its migration).
-- SQLite keeps it, as it kept the orders' (2026-11-23-000010): one writer at a time, and
-- dropping a constraint would rebuild the table.
SELECT 1;
