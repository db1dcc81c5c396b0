-- Schema v4, planning from today (docs/model.md, sections 3 and 5):
-- when an order was placed, and its lags in weeks (booking before packaging; test
-- and burn-in, integration and shipping after it), NULL meaning the planning date
-- or the documented default lag; and when a technology's volume output began and
-- how many months its ramp takes, NULL meaning the default ramp before its first
-- capacity observation; and who published a capacity figure, so a publisher's
-- newer figure for a month supersedes its older one (docs/model.md, section 3);
-- and the supply line an order is served from (NULL: its own); and the family a
-- technology belongs to, so an allocation can be a share of CoWoS-S, -L and -R together;
-- and a supply line's allocation (units a month from a month) and queue position;
-- and GB per HBM stack, for HBM capacity counted in GB; and which memory makers'
-- output counts for a customer from when (qualifications); and each customer's
-- demand in accelerators a month (demand); and what the record says a product
-- delivered over months of history (actuals).
-- The index of capacity observations by technology and month goes: no query looks
-- rows up that way (the model reads them all), and keeping it up doubled the cost of
-- writing a large import (docs/performance.md, "Bundle import").
ALTER TABLE technologies ADD COLUMN first_month TEXT;
ALTER TABLE technologies ADD COLUMN ramp_months INTEGER;
ALTER TABLE technologies ADD COLUMN family TEXT;
ALTER TABLE capacity_observations ADD COLUMN publisher TEXT;
DROP INDEX capacity_by_technology;
ALTER TABLE orders ADD COLUMN placed TEXT;
ALTER TABLE orders ADD COLUMN booking_weeks INTEGER;
ALTER TABLE orders ADD COLUMN test_weeks INTEGER;
ALTER TABLE orders ADD COLUMN integration_weeks INTEGER;
ALTER TABLE orders ADD COLUMN shipping_weeks INTEGER;
ALTER TABLE orders ADD COLUMN supply_line TEXT;
ALTER TABLE orders ADD COLUMN allocation_per_month REAL;
ALTER TABLE orders ADD COLUMN allocation_from TEXT;
ALTER TABLE orders ADD COLUMN queue_ahead INTEGER;
ALTER TABLE products ADD COLUMN hbm_gb_per_stack REAL;
CREATE TABLE qualifications (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    customer TEXT NOT NULL,
    technology_id TEXT NOT NULL,
    facility_id TEXT NOT NULL,
    from_month TEXT NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, customer, technology_id, facility_id, source)
) STRICT;
CREATE TABLE demand (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    customer TEXT NOT NULL,
    from_month TEXT NOT NULL,
    to_month TEXT,
    units_per_month REAL NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, customer, from_month, source)
) STRICT;
CREATE TABLE actuals (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    from_month TEXT NOT NULL,
    to_month TEXT NOT NULL,
    units REAL NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, product_id, from_month, source)
) STRICT;
-- An allocation is a share of the capacity or a volume a month in its unit: the
-- share columns may be empty, and three volume columns follow as_of. SQLite
-- cannot drop a NOT NULL, so the table is rebuilt with its rows.
CREATE TABLE allocations_v4 (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    technology_id TEXT NOT NULL,
    customer TEXT NOT NULL,
    from_month TEXT NOT NULL,
    to_month TEXT,
    share_low REAL,
    share_base REAL,
    share_high REAL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    per_month_low REAL,
    per_month_base REAL,
    per_month_high REAL,
    PRIMARY KEY (dataset_id, technology_id, customer, from_month, source)
) STRICT;
INSERT INTO allocations_v4 (dataset_id, technology_id, customer, from_month, to_month,
                            share_low, share_base, share_high, source, as_of)
    SELECT dataset_id, technology_id, customer, from_month, to_month,
           share_low, share_base, share_high, source, as_of FROM allocations;
DROP TABLE allocations;
ALTER TABLE allocations_v4 RENAME TO allocations;
