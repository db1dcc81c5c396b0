-- Schema v6: a capacity observation's confidence is checked by three comparisons
-- instead of `IN ('A', 'B', 'C')`. For a list of three or more values SQLite builds a
-- temporary index of the list every time the statement runs, so each row written
-- opened, filled and closed one: a quarter of a million-row import's writing time
-- (docs/performance.md, "Bundle import"). The rule is the same; a constraint cannot
-- be changed in place, so the table is rebuilt (as SQLite's ALTER TABLE page
-- describes), every row kept with its rowid, so rows keep their order.
CREATE TABLE capacity_observations_v6 (
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
    confidence TEXT NOT NULL CHECK (confidence = 'A' OR confidence = 'B' OR confidence = 'C'),
    note TEXT,
    publisher TEXT,
    PRIMARY KEY (dataset_id, facility_id, technology_id, month, source)
) STRICT;
INSERT INTO capacity_observations_v6 (rowid, dataset_id, facility_id, technology_id, month, low, base, high,
                                      unit, source, as_of, confidence, note, publisher)
    SELECT rowid, dataset_id, facility_id, technology_id, month, low, base, high,
           unit, source, as_of, confidence, note, publisher FROM capacity_observations;
DROP TABLE capacity_observations;
ALTER TABLE capacity_observations_v6 RENAME TO capacity_observations;
