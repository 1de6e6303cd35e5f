-- Batched delivery, opt-in per subscription: up to `batch_size` events per POST, as
-- `{"data": [event, …]}`. 1 (the default) keeps one event per POST, its envelope as the body.
ALTER TABLE webhooks ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 1
    CHECK (batch_size BETWEEN 1 AND 100);
-- The delivery log keeps one entry per POST: a batch's entry names its first event
-- (event_id, event_type, event_seq), how many it carried and, as a JSON array, their ids.
ALTER TABLE webhook_deliveries ADD COLUMN event_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE webhook_deliveries ADD COLUMN event_ids TEXT;
