-- Users who sign in through OpenID Connect are found by who their provider says they are (issuer +
-- subject), never by user name: a provider's preferred_username may change, and must never take over a
-- local account that happens to have the same name.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT, ADD COLUMN oidc_subject TEXT;
ALTER TABLE users ADD CONSTRAINT users_oidc_identity UNIQUE (oidc_issuer, oidc_subject);
