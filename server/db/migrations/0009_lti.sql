-- LTI 1.3: kubelab as a tool inside an LMS (Canvas, Moodle, Open edX). The tool's own
-- signing keys, the platforms an admin registered, the OIDC login states (kept here,
-- not only in a cookie, so a launch works in an iframe that blocks third-party
-- cookies), how LTI contexts / users / resource links map onto classes, accounts and
-- exercises, and the durable queue of scores sent back by AGS.

CREATE TABLE lti_keys (
  id           INTEGER PRIMARY KEY,
  kid          TEXT    NOT NULL UNIQUE,
  public_jwk   TEXT    NOT NULL CHECK (json_valid(public_jwk)),
  -- PKCS#8 PEM. Never returned by any API nor logged.
  private_pem  TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  -- Set when a newer key replaced it; it stays in the JWKS for a grace period so
  -- platforms holding a cached JWKS still verify what it signed.
  retired_at   INTEGER
) STRICT;

CREATE TABLE lti_platforms (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL,
  issuer          TEXT    NOT NULL,
  client_id       TEXT    NOT NULL,
  auth_url        TEXT    NOT NULL,
  token_url       TEXT    NOT NULL,
  jwks_url        TEXT    NOT NULL,
  deployment_ids  TEXT    NOT NULL CHECK (json_valid(deployment_ids) AND json_type(deployment_ids) = 'array'),
  created_at      INTEGER NOT NULL,
  UNIQUE (issuer, client_id)
) STRICT;

CREATE TABLE lti_login_states (
  -- sha256 of the state; the state itself travels only through the browser.
  state_hash       TEXT    PRIMARY KEY,
  nonce            TEXT    NOT NULL UNIQUE,
  platform_id      INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  target_link_uri  TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  used_at          INTEGER
) STRICT;
CREATE INDEX lti_login_states_by_expiry ON lti_login_states (expires_at);

-- An LTI user (iss + sub) is one kubelab account.
CREATE TABLE lti_accounts (
  platform_id  INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  sub          TEXT    NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (platform_id, sub)
) STRICT, WITHOUT ROWID;
CREATE INDEX lti_accounts_by_user ON lti_accounts (user_id);

-- An LTI context (a course) is one class, made on its first launch.
CREATE TABLE lti_contexts (
  platform_id    INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  deployment_id  TEXT    NOT NULL,
  context_id     TEXT    NOT NULL,
  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
  PRIMARY KEY (platform_id, deployment_id, context_id)
) STRICT, WITHOUT ROWID;

-- A resource link (an assignment in the course) names an exercise and, with AGS, its
-- line item (the gradebook column).
CREATE TABLE lti_resource_links (
  id                INTEGER PRIMARY KEY,
  platform_id       INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  deployment_id     TEXT    NOT NULL,
  resource_link_id  TEXT    NOT NULL,
  class_id          INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
  exercise_id       TEXT    NOT NULL,
  lineitem_url      TEXT,
  ags_scopes        TEXT    NOT NULL CHECK (json_valid(ags_scopes) AND json_type(ags_scopes) = 'array'),
  created_at        INTEGER NOT NULL,
  UNIQUE (platform_id, deployment_id, resource_link_id)
) STRICT;
CREATE INDEX lti_resource_links_by_exercise ON lti_resource_links (exercise_id);

-- One-time hand-over from a launch to the page it lands on (see server/lti/tickets.ts).
CREATE TABLE lti_tickets (
  ticket_hash  TEXT    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  target_path  TEXT    NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
) STRICT;

-- The score each learner should have in each line item: one row per (link, learner),
-- overwritten by a better score, sent until the platform accepts it.
CREATE TABLE lti_scores (
  id                 INTEGER PRIMARY KEY,
  link_id            INTEGER NOT NULL REFERENCES lti_resource_links (id) ON DELETE CASCADE,
  user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  attempt_id         INTEGER NOT NULL REFERENCES attempts (id),
  score_given        REAL    NOT NULL CHECK (score_given >= 0),
  score_maximum      REAL    NOT NULL CHECK (score_maximum > 0),
  activity_progress  TEXT    NOT NULL CHECK (activity_progress IN ('Started', 'InProgress', 'Submitted', 'Completed')),
  -- The score's timestamp: never earlier than one already sent for this row.
  scored_at          INTEGER NOT NULL,
  status             TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  tries              INTEGER NOT NULL DEFAULT 0,
  next_try_at        INTEGER NOT NULL,
  last_error         TEXT,
  sent_at            INTEGER,
  updated_at         INTEGER NOT NULL,
  UNIQUE (link_id, user_id)
) STRICT;
CREATE INDEX lti_scores_due ON lti_scores (status, next_try_at);

-- A deep-linking request waiting for the instructor to pick an exercise: the picker's
-- form carries only the random id (stored as sha256), not the platform's return URL.
CREATE TABLE lti_deep_links (
  request_hash   TEXT    PRIMARY KEY,
  platform_id    INTEGER NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
  deployment_id  TEXT    NOT NULL,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  return_url     TEXT    NOT NULL,
  -- The platform's opaque `data`, echoed back as it came.
  data           TEXT,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER
) STRICT;
