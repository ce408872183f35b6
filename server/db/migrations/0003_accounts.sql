-- Accounts an admin can switch off. A disabled user keeps their history (attempts,
-- classes, audit entries name them) but none of their API tokens or sessions
-- authenticate; enabling them again restores the tokens that were not revoked.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
