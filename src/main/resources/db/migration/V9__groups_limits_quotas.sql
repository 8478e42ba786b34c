-- Access control and limits (issue 8). Groups name their members (user ids) and the model/route names
-- they may call ('*': all); a user's own allowed_models (null: all, as before) adds to its groups'. Rate
-- limits and quotas are one JSON object on keys, users and groups ({requests_per_minute, tokens_per_minute,
-- concurrent_requests, window_seconds, tokens_per_day, tokens_per_month}), and per model or route name
-- in name_limits. What has been used is cluster state (Hazelcast), counted from the gateway's usage records.
CREATE TABLE groups (
  id             BIGSERIAL PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  description    TEXT NOT NULL DEFAULT '',
  members        BIGINT[] NOT NULL DEFAULT '{}',
  allowed_models TEXT[] NOT NULL DEFAULT '{}',
  limits         JSONB,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE users ADD COLUMN allowed_models TEXT[], ADD COLUMN limits JSONB;
ALTER TABLE api_keys ADD COLUMN limits JSONB;

CREATE TABLE name_limits (
  name       TEXT PRIMARY KEY,
  limits     JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
