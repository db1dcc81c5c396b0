-- Schema v2: when each product ships, so the network plans it only in those months.
ALTER TABLE products ADD COLUMN available_from TEXT;
ALTER TABLE products ADD COLUMN available_to TEXT;
