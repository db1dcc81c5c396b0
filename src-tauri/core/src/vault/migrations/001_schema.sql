-- Packplan vault schema v1. Frozen once released: later changes are new migrations.
--
-- Every supplier figure belongs to a dataset (an imported bundle, or the "local"
-- dataset of rows entered in this vault), so each figure traces to its source and
-- removing a dataset removes exactly its rows. Data tables mirror the bundle tables
-- of docs/bundle-format.md column for column (a test keeps them in step).

CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL CHECK (origin IN ('bundle', 'local')),
    bundle_id TEXT UNIQUE,
    title TEXT NOT NULL,
    classification TEXT NOT NULL,
    issuer TEXT,               -- the trusted issuer's name, when signed by one
    signer_key_id TEXT,        -- minisign key id (16 hex digits), when signed
    producer_seq INTEGER,
    created TEXT NOT NULL,     -- RFC 3339, from the manifest
    imported TEXT NOT NULL,    -- RFC 3339, when it entered this vault
    sha256 TEXT,               -- of the bundle file as received
    override TEXT              -- why policy was overridden (unsigned, unknown signer), if it was
) STRICT;

CREATE TABLE suppliers (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    notes TEXT,
    PRIMARY KEY (dataset_id, id)
) STRICT;

CREATE TABLE facilities (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    name TEXT NOT NULL,
    site TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    notes TEXT,
    PRIMARY KEY (dataset_id, id)
) STRICT;

CREATE TABLE technologies (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('packaging', 'memory', 'substrate', 'logic', 'material', 'test')),
    carrier TEXT NOT NULL CHECK (carrier IN ('wafer300', 'panel', 'none')),
    carrier_width_mm REAL,
    carrier_height_mm REAL,
    capacity_unit TEXT NOT NULL,
    lead_time_months INTEGER NOT NULL,
    notes TEXT,
    PRIMARY KEY (dataset_id, id)
) STRICT;

CREATE TABLE capacity_observations (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    facility_id TEXT NOT NULL,
    technology_id TEXT NOT NULL,
    month TEXT NOT NULL,
    low REAL NOT NULL,
    base REAL NOT NULL,
    high REAL NOT NULL,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    confidence TEXT NOT NULL CHECK (confidence IN ('A', 'B', 'C')),
    note TEXT,
    PRIMARY KEY (dataset_id, facility_id, technology_id, month, source)
) STRICT;
CREATE INDEX capacity_by_technology ON capacity_observations (technology_id, month);

CREATE TABLE products (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    vendor TEXT NOT NULL,
    interposer_width_mm REAL NOT NULL,
    interposer_height_mm REAL NOT NULL,
    compute_dies INTEGER NOT NULL,
    compute_die_area_mm2 REAL NOT NULL,
    logic_technology_id TEXT NOT NULL,
    defect_density_per_cm2 REAL NOT NULL,
    clustering_alpha REAL NOT NULL,
    hbm_technology_id TEXT NOT NULL,
    hbm_stacks INTEGER NOT NULL,
    substrate_technology_id TEXT,
    tdp_w REAL NOT NULL,
    all_in_kw REAL NOT NULL,
    price_low_usd REAL NOT NULL,
    price_base_usd REAL NOT NULL,
    price_high_usd REAL NOT NULL,
    tokens_per_second REAL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, id)
) STRICT;

CREATE TABLE product_routes (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    technology_id TEXT NOT NULL,
    assembly_yield_low REAL NOT NULL,
    assembly_yield_base REAL NOT NULL,
    assembly_yield_high REAL NOT NULL,
    preferred INTEGER NOT NULL CHECK (preferred IN (0, 1)),
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, product_id, technology_id)
) STRICT;

CREATE TABLE allocations (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    technology_id TEXT NOT NULL,
    customer TEXT NOT NULL,
    from_month TEXT NOT NULL,
    to_month TEXT,
    share_low REAL NOT NULL,
    share_base REAL NOT NULL,
    share_high REAL NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, technology_id, customer, from_month, source)
) STRICT;

CREATE TABLE tco_assumptions (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    low REAL NOT NULL,
    base REAL NOT NULL,
    high REAL NOT NULL,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, key, source)
) STRICT;

CREATE TABLE cloud_prices (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    low_usd_per_hour REAL NOT NULL,
    base_usd_per_hour REAL NOT NULL,
    high_usd_per_hour REAL NOT NULL,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (dataset_id, product_id, source)
) STRICT;

CREATE TABLE orders (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    needed_by TEXT NOT NULL,
    obtainable_share REAL NOT NULL,
    priority INTEGER NOT NULL,
    notes TEXT,
    PRIMARY KEY (dataset_id, id)
) STRICT;

-- Named scenarios: overrides on the baseline, as JSON (docs/model-input.md).
CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    dataset_id TEXT REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    overrides TEXT NOT NULL CHECK (json_valid(overrides)),
    created TEXT NOT NULL,
    updated TEXT NOT NULL
) STRICT;

-- Saved model runs: enough to reproduce (input hash and seed) and to show (results).
CREATE TABLE model_runs (
    id TEXT PRIMARY KEY,
    scenario_id TEXT REFERENCES scenarios(id) ON DELETE SET NULL,
    started TEXT NOT NULL,
    input_sha256 TEXT NOT NULL,
    input TEXT NOT NULL CHECK (json_valid(input)),
    seed INTEGER NOT NULL,
    trials INTEGER NOT NULL,
    results TEXT NOT NULL CHECK (json_valid(results))
) STRICT;

-- Keys: the vault's own age identity (to receive bundles) and minisign signing key.
-- Secrets sit only here, inside the encrypted database.
CREATE TABLE own_keys (
    purpose TEXT PRIMARY KEY CHECK (purpose IN ('age_identity', 'signing')),
    public TEXT NOT NULL,
    secret TEXT NOT NULL,
    created TEXT NOT NULL
) STRICT;

CREATE TABLE issuers (
    name TEXT PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,  -- minisign public key (base64)
    key_id TEXT NOT NULL UNIQUE,
    added TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0  -- the replay ratchet: highest producer_seq imported
) STRICT;

CREATE TABLE contacts (
    name TEXT PRIMARY KEY,
    recipient TEXT NOT NULL UNIQUE,  -- age1...
    added TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

-- The audit log. Each entry's hash covers the previous entry's hash, so an edit
-- or deletion breaks the chain; audit_head records the last entry so that removing
-- entries from the end is detected too.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;
