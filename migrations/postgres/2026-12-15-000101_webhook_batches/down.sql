ALTER TABLE webhook_deliveries DROP COLUMN event_ids;
ALTER TABLE webhook_deliveries DROP COLUMN event_count;
ALTER TABLE webhooks DROP COLUMN batch_size;
