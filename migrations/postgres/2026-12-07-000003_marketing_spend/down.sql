DROP TABLE marketing_spend;
