-- "Find the best spec": a run deploys each candidate of a parameter grid in turn as a temporary model,
-- benchmarks it through the gateway and records the winner as a measured catalog spec for the hardware
-- it ran on.
CREATE TABLE tuning_runs (
  id          TEXT PRIMARY KEY,
  family      TEXT NOT NULL,
  base_spec   TEXT,
  state       TEXT NOT NULL,
  message     TEXT,
  request     JSONB NOT NULL,
  progress    JSONB NOT NULL DEFAULT '{}'::jsonb,
  candidates  JSONB NOT NULL,
  winner      INT,
  node        TEXT NOT NULL,
  created_by  BIGINT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX tuning_runs_created ON tuning_runs (created_at DESC);

-- Catalog specs learned from the cluster: one per family and hardware filter, replaced by a later run.
CREATE TABLE measured_specs (
  family      TEXT NOT NULL,
  id          TEXT NOT NULL,
  spec        JSONB NOT NULL,
  figures     JSONB NOT NULL,
  tuning_run  TEXT NOT NULL,
  measured_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (family, id)
);
