CREATE INDEX campaign_members_by_arm ON campaign_members (campaign_id, arm, account_id);
