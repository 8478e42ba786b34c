-- An admin's "move this node's replicas elsewhere" while it is in maintenance.
ALTER TABLE nodes ADD COLUMN drain BOOLEAN NOT NULL DEFAULT FALSE;
