-- Browser sign-in and classes. A session is the portal's cookie; like API tokens its
-- secret is stored only as sha256. A class groups learners and is joined by a link
-- whose code is also stored hashed (shown to the instructor when made or rotated).

CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    TEXT    NOT NULL UNIQUE,
  -- How the session began: 'token' (API token pasted), 'join' (class link), 'lti'.
  via           TEXT    NOT NULL CHECK (via IN ('token', 'join', 'lti')),
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  ended_at      INTEGER
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE classes (
  id                INTEGER PRIMARY KEY,
  name              TEXT    NOT NULL,
  owner_user_id     INTEGER NOT NULL REFERENCES users (id),
  -- Exercise ids in the class, in the order learners see them.
  exercise_ids      TEXT    NOT NULL CHECK (json_valid(exercise_ids) AND json_type(exercise_ids) = 'array'),
  due_at            INTEGER,
  -- How long learners' environments for this class live; NULL: the server's default.
  env_ttl_ms        INTEGER CHECK (env_ttl_ms IS NULL OR env_ttl_ms > 0),
  join_code_hash    TEXT    UNIQUE,
  join_open         INTEGER NOT NULL CHECK (join_open IN (0, 1)),
  created_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX classes_by_owner ON classes (owner_user_id);

CREATE TABLE class_members (
  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at  INTEGER NOT NULL,
  PRIMARY KEY (class_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX class_members_by_user ON class_members (user_id);
