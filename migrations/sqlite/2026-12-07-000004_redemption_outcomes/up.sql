-- A reward redemption is handed over (fulfilled) or cancelled (its points and stock come
-- back); plain points redemptions can be cancelled too. When each happened, and why.
ALTER TABLE loyalty_redemptions ADD COLUMN fulfilled_at TIMESTAMP;
ALTER TABLE loyalty_redemptions ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE loyalty_redemptions ADD COLUMN cancel_reason TEXT;
