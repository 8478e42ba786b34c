-- Sessions issued before sessions_valid_after are over (password change, demotion, deactivation,
-- "sign out everywhere"). password_change_required: the bootstrap admin with a generated password must
-- choose a new one before doing anything else.
ALTER TABLE users ADD COLUMN sessions_valid_after TIMESTAMPTZ,
  ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT false;
