-- Cloud worker pools: the spec as the API took it (credentials left out) and the credentials sealed
-- with the cluster's SecretBox (purpose "worker-pool:<name>"), never returned by the API.
CREATE TABLE worker_pools (
  name        TEXT PRIMARY KEY,
  spec        JSONB NOT NULL,
  credentials TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
