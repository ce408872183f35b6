-- Outbound webhooks (Standard Webhooks). An endpoint belongs to one class, or to the
-- whole server when class_id is NULL. Its signing secrets are kept encrypted with a key
-- that lives beside the database, never in it (server/webhooks/secret-box.ts): a copy of
-- this file alone cannot sign. The previous secret stays valid until
-- previous_secret_expires_at so receivers can roll over.
CREATE TABLE webhook_endpoints (
  id                         INTEGER PRIMARY KEY,
  url                        TEXT    NOT NULL,
  description                TEXT    NOT NULL DEFAULT '',
  class_id                   INTEGER REFERENCES classes (id) ON DELETE CASCADE,
  event_types                TEXT    NOT NULL CHECK (json_valid(event_types) AND json_type(event_types) = 'array'),
  secret_sealed              TEXT    NOT NULL,
  previous_secret_sealed     TEXT,
  previous_secret_expires_at INTEGER,
  enabled                    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  -- Why delivery stopped (the receiver answered 410 Gone), shown to the owner.
  disabled_reason            TEXT,
  created_by_user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_endpoints_by_class ON webhook_endpoints (class_id);

-- The outbox: one row per (event, endpoint), written in the transaction that records
-- the event. The body is stored as sent so every retry and redelivery carries the same
-- bytes under the same message id; only the timestamp and signature are made per send.
CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY,
  endpoint_id      INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  message_id       TEXT    NOT NULL,
  event_type       TEXT    NOT NULL CHECK (event_type IN ('attempt.completed', 'exercise.passed', 'environment.expired')),
  body             TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  INTEGER,
  created_at       INTEGER NOT NULL,
  UNIQUE (endpoint_id, message_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);

-- The delivery log: one row per HTTP attempt.
CREATE TABLE webhook_delivery_attempts (
  id               INTEGER PRIMARY KEY,
  delivery_id      INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          INTEGER NOT NULL CHECK (attempt >= 1),
  at               INTEGER NOT NULL,
  duration_ms      INTEGER NOT NULL CHECK (duration_ms >= 0),
  response_status  INTEGER,
  error            TEXT,
  outcome          TEXT    NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone'))
) STRICT;
CREATE INDEX webhook_delivery_attempts_by_delivery ON webhook_delivery_attempts (delivery_id, attempt);
