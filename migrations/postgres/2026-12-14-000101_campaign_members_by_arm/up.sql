-- A launch writes its whole audience into campaign_members (200,000 rows in the issue's
-- benchmark), and every index is one more entry written per member. `campaign_members_by_arm`
-- served only the members list filtered by arm: that list now walks the primary key
-- (campaign_id, account_id) in the same order and skips the other arm's rows: a page of the
-- control arm reads about 1 / control share rows per row it returns (ten at the default
-- 10 %). Results read the members through the primary key; order writes find memberships
-- through campaign_members_by_account.
DROP INDEX campaign_members_by_arm;
