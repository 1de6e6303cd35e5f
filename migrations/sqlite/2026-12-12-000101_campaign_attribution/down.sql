DROP INDEX campaign_members_by_account;
ALTER TABLE campaign_members DROP COLUMN margin;
ALTER TABLE campaign_members DROP COLUMN revenue;
ALTER TABLE campaign_members DROP COLUMN orders;
ALTER TABLE campaigns DROP COLUMN attributed_to;
ALTER TABLE campaigns DROP COLUMN attributed_from;
