-- One row per gateway request (append-only). id is the gateway's own per-request id: inserts are
-- idempotent on it, so a batch replayed after a database outage or from the disk spool counts once.
CREATE TABLE usage_records (
  id                TEXT PRIMARY KEY,
  request_id        TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL,
  user_id           BIGINT NOT NULL,
  username          TEXT NOT NULL,
  api_key_id        TEXT,
  model             TEXT NOT NULL,
  instance_id       TEXT,
  node_name         TEXT,
  gateway_node      TEXT NOT NULL,
  operation         TEXT NOT NULL,
  prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  duration_ms       INTEGER NOT NULL,
  ttft_ms           INTEGER,
  status            SMALLINT NOT NULL,
  outcome           TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'cancelled'))
);

CREATE INDEX usage_records_created_at ON usage_records (created_at);
CREATE INDEX usage_records_user_created_at ON usage_records (user_id, created_at);
