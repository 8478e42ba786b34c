-- Cost budgets (issue 8): prices per model or route name (per million prompt/completion tokens, in the node's
-- --currency), and what each gateway request cost at them (null: the name called had no prices).
ALTER TABLE name_limits ADD COLUMN prices JSONB;
ALTER TABLE usage_records ADD COLUMN cost NUMERIC(24, 6);
