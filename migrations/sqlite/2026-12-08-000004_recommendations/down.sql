DROP TABLE recommendation_refreshes;
DROP TABLE recommendation_pairs;
DROP TABLE recommendation_items;
