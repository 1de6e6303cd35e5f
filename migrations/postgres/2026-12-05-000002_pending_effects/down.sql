DROP TABLE pending_effects;
DROP TABLE loyalty_lot_notices;
