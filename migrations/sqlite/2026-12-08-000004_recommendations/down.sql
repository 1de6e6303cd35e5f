DROP TABLE recommendation_refreshes;
DROP TABLE recommendation_items;
