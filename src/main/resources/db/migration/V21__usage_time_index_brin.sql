-- Usage records arrive roughly in time order (each node ships its journal in order, within seconds unless
-- the database was down), so a BRIN index answers the time-range scans of summaries and the quota seed
-- at a fraction of a B-tree's upkeep on every insert. Per-user ranges keep their B-tree.
DROP INDEX IF EXISTS usage_records_created_at;
CREATE INDEX usage_records_created_at_brin ON usage_records USING brin (created_at);
-- Record ids are ASCII handles (time in base 36, then random bits): byte order is their order, so the
-- primary key compares them with memcmp instead of the database's locale collation (en_US and the like
-- cost a strcoll per comparison on every insert's descent of the B-tree). Rebuilds the primary key.
ALTER TABLE usage_records ALTER COLUMN id TYPE TEXT COLLATE "C";
