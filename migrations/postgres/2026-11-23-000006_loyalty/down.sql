DROP TABLE loyalty_redemptions;
DROP TABLE loyalty_rewards;
DROP TABLE loyalty_entries;
DROP TABLE loyalty_lots;
DROP TABLE loyalty_members;
DROP TABLE loyalty_programs;
