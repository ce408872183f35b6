-- One row of per-installation secrets, generated here once (randomblob is SQLite's
-- CSPRNG) and never rotated: namespace names are an HMAC of the learner and exercise
-- under namespace_salt, so nobody can compute another learner's namespace. Existing
-- environments keep the namespace stored in their row.
CREATE TABLE installation (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  namespace_salt  TEXT    NOT NULL CHECK (length(namespace_salt) = 64)
) STRICT;
INSERT INTO installation (id, namespace_salt) VALUES (1, lower(hex(randomblob(32))));
