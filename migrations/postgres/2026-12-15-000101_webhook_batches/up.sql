-- Batched delivery, opt-in per subscription: up to `batch_size` events per POST, as
-- `{"data": [event, …]}`. 1 (the default) keeps one event per POST, its envelope as the body.
ALTER TABLE webhooks ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 1
    CHECK (batch_size BETWEEN 1 AND 100);
