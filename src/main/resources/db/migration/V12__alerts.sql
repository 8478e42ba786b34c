-- Alert rules (built-in ones seeded here: editable and disable-able, never deleted) and webhook receivers
-- (their URL sealed with the cluster secret's SecretBox key, never stored in clear).
CREATE TABLE alert_rules (
  id         TEXT PRIMARY KEY,
  builtin    BOOLEAN NOT NULL DEFAULT FALSE,
  spec       JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO alert_rules (id, builtin, spec) VALUES
  ('node-unreachable', TRUE, '{"kind":"node_unreachable","for_seconds":60,"severity":"critical","enabled":true}'),
  ('replica-error', TRUE, '{"kind":"replica_error","for_seconds":30,"severity":"critical","enabled":true}'),
  ('device-temperature', TRUE, '{"kind":"device_temperature","threshold":90,"for_seconds":120,"severity":"warning","enabled":true}'),
  ('device-vanished', TRUE, '{"kind":"device_vanished","for_seconds":30,"severity":"critical","enabled":true}'),
  ('model-error-rate', TRUE, '{"kind":"model_error_rate","threshold":0.05,"min_requests":20,"for_seconds":60,"severity":"warning","enabled":true}'),
  ('model-ttft-p95', TRUE, '{"kind":"model_ttft_p95","threshold":2,"min_requests":20,"for_seconds":60,"severity":"warning","enabled":true}');

CREATE TABLE alert_receivers (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  format     TEXT NOT NULL,
  enabled    BOOLEAN NOT NULL DEFAULT TRUE,
  url_sealed TEXT NOT NULL,
  url_host   TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
