DROP TABLE voucher_history;
DROP TABLE vouchers;
DROP TABLE offers;
