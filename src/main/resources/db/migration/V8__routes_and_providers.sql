-- Routes: names clients call as "model", with weighted targets and fallbacks (spec as the API shape).
CREATE TABLE routes (
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  spec       JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- External providers; spec.credentials_sealed holds the credentials sealed with the cluster secret
-- (AES-256-GCM, cluster/SecretBox), never in clear.
CREATE TABLE providers (
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  spec       JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
