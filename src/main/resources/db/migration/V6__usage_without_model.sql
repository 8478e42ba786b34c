-- A request whose body named no model (unparseable JSON, no "model" string) is recorded with model NULL
-- instead of '' (a failed request, status 400): /v2/usage shows it as "model": null.
ALTER TABLE usage_records ALTER COLUMN model DROP NOT NULL;
UPDATE usage_records SET model = NULL WHERE model = '';
