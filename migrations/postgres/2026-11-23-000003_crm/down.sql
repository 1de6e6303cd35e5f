DROP TABLE idempotency_keys;
DROP TABLE interactions;
DROP TABLE contacts;
DROP TABLE consent_events;
DROP TABLE account_lifecycle_changes;
DROP TABLE account_search_terms;
DROP TABLE account_tags;
DROP TABLE accounts;
