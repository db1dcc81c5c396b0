-- Schema v4: when an order was placed, and its lags in weeks (booking before
-- packaging; test and burn-in, integration and shipping after it). NULL: the
-- planning date, or the documented default lag (docs/model.md, "Orders").
ALTER TABLE orders ADD COLUMN placed TEXT;
ALTER TABLE orders ADD COLUMN booking_weeks INTEGER;
ALTER TABLE orders ADD COLUMN test_weeks INTEGER;
ALTER TABLE orders ADD COLUMN integration_weeks INTEGER;
ALTER TABLE orders ADD COLUMN shipping_weeks INTEGER;
