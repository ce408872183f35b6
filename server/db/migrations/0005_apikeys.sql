-- API keys for services (an LMS, a grade-book sync), not people: made by an admin for
-- the whole server (class_id NULL) or by an instructor for one class they teach. Only
-- the sha256 of the secret is kept; `hint` is its first characters so a person can tell
-- keys apart in a list without the secret. A revoked key stays for the audit trail.
CREATE TABLE service_api_keys (
  id                  INTEGER PRIMARY KEY,
  name                TEXT    NOT NULL,
  key_hash            TEXT    NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  hint                TEXT    NOT NULL,
  scopes              TEXT    NOT NULL,
  class_id            INTEGER REFERENCES classes (id) ON DELETE CASCADE,
  created_by_user_id  INTEGER NOT NULL REFERENCES users (id),
  created_at          INTEGER NOT NULL,
  last_used_at        INTEGER,
  revoked_at          INTEGER
) STRICT;
CREATE INDEX service_api_keys_by_class ON service_api_keys (class_id, id);

-- Answers to POSTs that carried an Idempotency-Key, per caller, so a retried request
-- gets the first answer instead of doing the work twice. status is NULL while the
-- first request is still running. Rows older than a day are ignored and swept.
CREATE TABLE idempotency_keys (
  caller        TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL CHECK (length(request_hash) = 64),
  status        INTEGER,
  content_type  TEXT,
  body          TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (caller, key)
) STRICT;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
