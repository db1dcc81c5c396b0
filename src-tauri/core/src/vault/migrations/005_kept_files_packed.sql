-- Schema v5: the files an import keeps (dataset_files, for `vault check`) may be
-- stored packed with LZ4 (the block format, its length in front), which the new
-- column says; NULL is a file stored as it came, as every file kept before this.
-- A million-row bundle keeps 84 MiB of CSV; packed it is a few times smaller, so
-- its import encrypts and writes that many fewer pages (docs/performance.md).
ALTER TABLE dataset_files ADD COLUMN packing TEXT CHECK (packing IN ('lz4'));
