-- Benchmark lab: a load profile run against a deployed model through the gateway, its live progress and
-- its results, kept with the model's settings and the hardware it ran on.
CREATE TABLE benchmarks (
  id          TEXT PRIMARY KEY,
  model       TEXT NOT NULL,
  state       TEXT NOT NULL,
  message     TEXT,
  profile     JSONB NOT NULL,
  sla         JSONB,
  spec        JSONB NOT NULL,
  hardware    JSONB NOT NULL,
  progress    JSONB NOT NULL DEFAULT '{}'::jsonb,
  results     JSONB,
  node        TEXT NOT NULL,
  created_by  BIGINT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at TIMESTAMPTZ
);
CREATE INDEX benchmarks_model ON benchmarks (model, created_at DESC);
