-- kubelab's first schema. Conventions: STRICT tables; every timestamp is epoch
-- milliseconds (INTEGER, UTC) in a column named *_at; enumerations are TEXT guarded
-- by CHECK; JSON columns are TEXT guarded by json_valid().

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  -- Who the user is outside kubelab: 'local:<name>', 'lti:<iss>#<sub>', 'bootstrap:admin'.
  external_key  TEXT    NOT NULL UNIQUE,
  display_name  TEXT    NOT NULL,
  email         TEXT,
  role          TEXT    NOT NULL CHECK (role IN ('learner', 'instructor', 'admin')),
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  -- sha256 (hex) of the plaintext; the plaintext is shown once and never stored.
  token_hash    TEXT    NOT NULL UNIQUE,
  scopes        TEXT    NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  expires_at    INTEGER,
  revoked_at    INTEGER
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE environments (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  exercise_id   TEXT    NOT NULL,
  namespace     TEXT    NOT NULL UNIQUE,
  status        TEXT    NOT NULL CHECK (status IN ('provisioning', 'ready', 'failed', 'deleting', 'deleted')),
  error         TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
) STRICT;
-- A learner's live environments (quota, "my labs"), and the reaper's sweep.
CREATE INDEX environments_by_user ON environments (user_id, status);
CREATE INDEX environments_by_expiry ON environments (status, expires_at);

CREATE TABLE attempts (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users (id),
  environment_id  INTEGER NOT NULL REFERENCES environments (id),
  exercise_id     TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'interrupted')),
  result          TEXT    CHECK (result IN ('passed', 'failed', 'error')),
  score           REAL,
  max_score       REAL    NOT NULL CHECK (max_score >= 0),
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  finished_at     INTEGER,
  -- A verdict exists exactly when the attempt finished, so readers never see half of one.
  CHECK ((status = 'finished') = (result IS NOT NULL)),
  CHECK ((status = 'finished') = (score IS NOT NULL)),
  CHECK ((status IN ('finished', 'interrupted')) = (finished_at IS NOT NULL))
) STRICT;
CREATE INDEX attempts_by_user_exercise ON attempts (user_id, exercise_id, created_at);
CREATE INDEX attempts_by_environment ON attempts (environment_id);
-- Start-up recovery looks for attempts a dead process left queued or running.
CREATE INDEX attempts_unfinished ON attempts (status) WHERE status IN ('queued', 'running');

CREATE TABLE check_results (
  attempt_id   INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
  check_id     TEXT    NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'skipped')),
  points       REAL    NOT NULL CHECK (points >= 0),
  max_points   REAL    NOT NULL CHECK (max_points >= 0 AND points <= max_points),
  message      TEXT    NOT NULL,
  hint         TEXT,
  evidence     TEXT    NOT NULL CHECK (json_valid(evidence)),
  finished_at  INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, check_id)
) STRICT, WITHOUT ROWID;
-- Per-check failure rates on the instructor dashboard.
CREATE INDEX check_results_by_check ON check_results (check_id, status);

CREATE TABLE audit_log (
  id             INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  actor_user_id  INTEGER REFERENCES users (id),
  action         TEXT    NOT NULL,
  target         TEXT,
  details        TEXT    NOT NULL CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_actor ON audit_log (actor_user_id, at);
