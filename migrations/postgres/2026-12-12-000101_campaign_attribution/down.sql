DROP INDEX campaign_members_by_account;
ALTER TABLE campaign_members DROP COLUMN margin, DROP COLUMN revenue, DROP COLUMN orders;
ALTER TABLE campaigns DROP COLUMN attributed_to, DROP COLUMN attributed_from;
