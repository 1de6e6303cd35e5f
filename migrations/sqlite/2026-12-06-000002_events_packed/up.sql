-- Packed outbox rows: the events one write emits in a run (same type, same time, ids that
-- follow each other, as 1,000 `order.created` of an order batch) are stored as one row
-- numbered seq..last_seq, their data one JSON object per line, instead of one row (and three
-- index entries) each. A row of one event has last_seq = seq. The feed and the webhook
-- worker unpack them (rapport_persistence::events); what consumers see is unchanged.
ALTER TABLE events ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
UPDATE events SET last_seq = seq;
