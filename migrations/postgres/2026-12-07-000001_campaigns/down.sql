DROP TABLE campaign_settings;
DROP TABLE campaign_exposures;
DROP TABLE campaign_members;
DROP TABLE campaigns;
