-- Schema v3: trust that can be checked again later.
--
-- A key id that no trusted key verified is only what a file claims: it is kept as
-- claimed_key_id and never as the signer (datasets imported before v3 with an
-- unknown signer move over). An import keeps the manifest as signed, the
-- signature, the key that verified it and the bundle's files, so `vault check`
-- can verify the rows against the issuer's signature. Scenario names are unique
-- without regard to case (lookups already ignore it).

ALTER TABLE datasets ADD COLUMN claimed_key_id TEXT;
UPDATE datasets SET claimed_key_id = signer_key_id, signer_key_id = NULL
    WHERE issuer IS NULL AND signer_key_id IS NOT NULL;

CREATE TABLE dataset_sources (
    dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
    manifest BLOB NOT NULL,       -- manifest.json exactly as signed
    signature TEXT,               -- manifest.json.minisig, when signed
    issuer_public_key TEXT        -- the trusted key that verified it (base64), when one did
) STRICT;

CREATE TABLE dataset_files (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (dataset_id, name)
) STRICT;

CREATE UNIQUE INDEX scenarios_by_name ON scenarios (lower(name));
