-- Usage records arrive roughly in time order (each node ships its journal in order, within seconds unless
-- the database was down), so a BRIN index answers the time-range scans of summaries and the quota seed
-- at a fraction of a B-tree's upkeep on every insert. Per-user ranges keep their B-tree.
DROP INDEX IF EXISTS usage_records_created_at;
CREATE INDEX usage_records_created_at_brin ON usage_records USING brin (created_at);
