ALTER TABLE loyalty_redemptions DROP COLUMN cancel_reason;
ALTER TABLE loyalty_redemptions DROP COLUMN cancelled_at;
ALTER TABLE loyalty_redemptions DROP COLUMN fulfilled_at;
