// SQL for webhook endpoints, the outbox of deliveries and the delivery log. Every row is
// parsed by its zod schema on the way out (the tables are in the webhooks migration).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from '../db/columns.ts';
import { NotFoundError } from '../db/errors.ts';
import { EventType } from './events.ts';

export const WebhookEndpointRow = z.object({
  id,
  url: z.string().min(1),
  description: z.string(),
  class_id: id.nullable(),
  event_types: jsonText(z.array(EventType)),
  secret_sealed: z.string().min(1),
  previous_secret_sealed: z.string().nullable(),
  previous_secret_expires_at: timestamp.nullable(),
  enabled: z.number().int().min(0).max(1),
  disabled_reason: z.string().nullable(),
  created_by_user_id: id.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

const parseEndpoint = WebhookEndpointRow.transform((r) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  classId: r.class_id,
  eventTypes: r.event_types,
  secretSealed: r.secret_sealed,
  previousSecretSealed: r.previous_secret_sealed,
  previousSecretExpiresAt: r.previous_secret_expires_at,
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
}));
export type WebhookEndpoint = z.output<typeof parseEndpoint>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDeliveryRow = z.object({
  id,
  endpoint_id: id,
  message_id: z.string().min(1),
  event_type: EventType,
  body: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int().nonnegative(),
  next_attempt_at: timestamp.nullable(),
  created_at: timestamp,
});

const parseDelivery = WebhookDeliveryRow.transform((r) => ({
  id: r.id,
  endpointId: r.endpoint_id,
  messageId: r.message_id,
  eventType: r.event_type,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
}));
export type WebhookDelivery = z.output<typeof parseDelivery>;

/** delivered: 2xx. retry: failed, another try is scheduled. failed: out of tries. gone: 410, endpoint disabled. */
export const AttemptOutcome = z.enum(['delivered', 'retry', 'failed', 'gone']);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

export const WebhookDeliveryAttemptRow = z.object({
  id,
  delivery_id: id,
  attempt: z.number().int().positive(),
  at: timestamp,
  duration_ms: z.number().int().nonnegative(),
  response_status: z.number().int().nullable(),
  error: z.string().nullable(),
  outcome: AttemptOutcome,
});

const parseAttempt = WebhookDeliveryAttemptRow.transform((r) => ({
  attempt: r.attempt,
  at: r.at,
  durationMs: r.duration_ms,
  responseStatus: r.response_status,
  error: r.error,
  outcome: r.outcome,
}));
export type WebhookDeliveryAttempt = z.output<typeof parseAttempt>;

export interface NewEndpoint {
  readonly url: string;
  readonly description: string;
  readonly classId: number | null;
  readonly eventTypes: readonly EventType[];
  readonly secretSealed: string;
  readonly createdByUserId: number;
}

export interface EndpointChanges {
  readonly url?: string;
  readonly description?: string;
  readonly eventTypes?: readonly EventType[];
  /** Turning an endpoint back on also clears why it was off. */
  readonly enabled?: boolean;
}

export interface AttemptRecord {
  readonly at: number;
  readonly durationMs: number;
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly outcome: AttemptOutcome;
  /** For `retry`: when to try again. */
  readonly nextAttemptAt: number | null;
}

export class WebhookStore {
  readonly #sqlite: Database.Database;
  readonly #now: () => number;
  readonly #s;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#sqlite = sqlite;
    this.#now = now;
    const live = `d.status = 'pending' AND d.next_attempt_at IS NOT NULL AND e.enabled = 1`;
    this.#s = {
      insertEndpoint: sqlite.prepare(
        `INSERT INTO webhook_endpoints (url, description, class_id, event_types, secret_sealed, enabled, created_by_user_id, created_at, updated_at)
         VALUES (@url, @description, @classId, @eventTypes, @secretSealed, 1, @createdByUserId, @now, @now) RETURNING *`,
      ),
      endpoint: sqlite.prepare('SELECT * FROM webhook_endpoints WHERE id = ?'),
      allEndpoints: sqlite.prepare('SELECT * FROM webhook_endpoints ORDER BY id'),
      ownedEndpoints: sqlite.prepare(
        `SELECT e.* FROM webhook_endpoints e JOIN classes c ON c.id = e.class_id WHERE c.owner_user_id = ? ORDER BY e.id`,
      ),
      updateEndpoint: sqlite.prepare(
        `UPDATE webhook_endpoints SET
           url = CASE WHEN @setUrl THEN @url ELSE url END,
           description = CASE WHEN @setDescription THEN @description ELSE description END,
           event_types = CASE WHEN @setEvents THEN @eventTypes ELSE event_types END,
           enabled = CASE WHEN @setEnabled THEN @enabled ELSE enabled END,
           disabled_reason = CASE WHEN @setEnabled AND @enabled = 1 THEN NULL ELSE disabled_reason END,
           updated_at = @now
         WHERE id = @id RETURNING *`,
      ),
      rotate: sqlite.prepare(
        `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = @previousExpiresAt,
           secret_sealed = @secretSealed, updated_at = @now WHERE id = @id RETURNING *`,
      ),
      disable: sqlite.prepare('UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?'),
      deleteEndpoint: sqlite.prepare('DELETE FROM webhook_endpoints WHERE id = ?'),
      // Server-wide endpoints hear everything; a class's hear its members' work on its exercises.
      subscribers: sqlite.prepare(
        `SELECT e.* FROM webhook_endpoints e
         WHERE e.enabled = 1 AND EXISTS (SELECT 1 FROM json_each(e.event_types) WHERE value = @type)
           AND (e.class_id IS NULL OR EXISTS (
             SELECT 1 FROM class_members m JOIN classes c ON c.id = m.class_id
             WHERE m.class_id = e.class_id AND m.user_id = @userId
               AND EXISTS (SELECT 1 FROM json_each(c.exercise_ids) WHERE value = @exerciseId)))
         ORDER BY e.id`,
      ),
      insertDelivery: sqlite.prepare(
        `INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, body, status, attempts, next_attempt_at, created_at)
         VALUES (@endpointId, @messageId, @eventType, @body, 'pending', 0, @now, @now) RETURNING *`,
      ),
      delivery: sqlite.prepare('SELECT * FROM webhook_deliveries WHERE id = ?'),
      due: sqlite.prepare(
        `SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE ${live} AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      ),
      nextDue: sqlite.prepare(
        `SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE ${live}`,
      ),
      deliveriesPage: sqlite.prepare('SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      insertAttempt: sqlite.prepare(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, duration_ms, response_status, error, outcome)
         VALUES (@deliveryId, @attempt, @at, @durationMs, @responseStatus, @error, @outcome)`,
      ),
      afterAttempt: sqlite.prepare(
        `UPDATE webhook_deliveries SET attempts = @attempt, status = @status, next_attempt_at = @nextAttemptAt
         WHERE id = @deliveryId RETURNING *`,
      ),
      attempts: sqlite.prepare('SELECT * FROM webhook_delivery_attempts WHERE delivery_id = ? ORDER BY attempt, id'),
      passedBefore: sqlite.prepare(
        `SELECT EXISTS (SELECT 1 FROM attempts WHERE user_id = ? AND exercise_id = ? AND result = 'passed' AND id <> ?) AS yes`,
      ),
      redeliver: sqlite.prepare(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ? RETURNING *`,
      ),
    };
  }

  createEndpoint(e: NewEndpoint): WebhookEndpoint {
    return parseEndpoint.parse(
      this.#s.insertEndpoint.get({ ...e, eventTypes: JSON.stringify(e.eventTypes), now: this.#now() }),
    );
  }

  endpoint(endpointId: number): WebhookEndpoint {
    const found = this.endpointOptional(endpointId);
    if (!found) throw new NotFoundError('webhook', endpointId);
    return found;
  }

  endpointOptional(endpointId: number): WebhookEndpoint | undefined {
    const row = this.#s.endpoint.get(endpointId);
    return row === undefined ? undefined : parseEndpoint.parse(row);
  }

  /** Every endpoint, or (ownerUserId) those of the classes that user owns. */
  listEndpoints(ownerUserId?: number): WebhookEndpoint[] {
    const rows = ownerUserId === undefined ? this.#s.allEndpoints.all() : this.#s.ownedEndpoints.all(ownerUserId);
    return rows.map((r) => parseEndpoint.parse(r));
  }

  updateEndpoint(endpointId: number, c: EndpointChanges): WebhookEndpoint {
    const row = this.#s.updateEndpoint.get({
      id: endpointId,
      setUrl: c.url === undefined ? 0 : 1,
      url: c.url ?? null,
      setDescription: c.description === undefined ? 0 : 1,
      description: c.description ?? null,
      setEvents: c.eventTypes === undefined ? 0 : 1,
      eventTypes: c.eventTypes === undefined ? null : JSON.stringify(c.eventTypes),
      setEnabled: c.enabled === undefined ? 0 : 1,
      enabled: c.enabled === undefined ? null : c.enabled ? 1 : 0,
      now: this.#now(),
    });
    if (row === undefined) throw new NotFoundError('webhook', endpointId);
    return parseEndpoint.parse(row);
  }

  rotateSecret(endpointId: number, secretSealed: string, previousExpiresAt: number): WebhookEndpoint {
    const row = this.#s.rotate.get({ id: endpointId, secretSealed, previousExpiresAt, now: this.#now() });
    if (row === undefined) throw new NotFoundError('webhook', endpointId);
    return parseEndpoint.parse(row);
  }

  disable(endpointId: number, reason: string): void {
    this.#s.disable.run(reason, this.#now(), endpointId);
  }

  deleteEndpoint(endpointId: number): void {
    if (this.#s.deleteEndpoint.run(endpointId).changes === 0) throw new NotFoundError('webhook', endpointId);
  }

  subscribers(type: EventType, userId: number, exerciseId: string): WebhookEndpoint[] {
    return this.#s.subscribers.all({ type, userId, exerciseId }).map((r) => parseEndpoint.parse(r));
  }

  insertDelivery(d: { endpointId: number; messageId: string; eventType: EventType; body: string }): WebhookDelivery {
    return parseDelivery.parse(this.#s.insertDelivery.get({ ...d, now: this.#now() }));
  }

  delivery(deliveryId: number): WebhookDelivery | undefined {
    const row = this.#s.delivery.get(deliveryId);
    return row === undefined ? undefined : parseDelivery.parse(row);
  }

  /** Pending deliveries to enabled endpoints whose time has come, oldest first. */
  due(now: number, limit: number): WebhookDelivery[] {
    return this.#s.due.all(now, limit).map((r) => parseDelivery.parse(r));
  }

  /** When the next pending delivery to an enabled endpoint is due, if any. */
  nextDueAt(): number | undefined {
    const at = z.object({ at: timestamp.nullable() }).parse(this.#s.nextDue.get()).at;
    return at ?? undefined;
  }

  /** Newest first, ids below `before`. */
  deliveries(endpointId: number, page: { before: number; limit: number }): WebhookDelivery[] {
    return this.#s.deliveriesPage.all(endpointId, page.before, page.limit).map((r) => parseDelivery.parse(r));
  }

  attempts(deliveryId: number): WebhookDeliveryAttempt[] {
    return this.#s.attempts.all(deliveryId).map((r) => parseAttempt.parse(r));
  }

  /** Logs attempt number `attempt` and moves the delivery on, together. */
  recordAttempt(delivery: WebhookDelivery, attempt: number, r: AttemptRecord): WebhookDelivery {
    const status: DeliveryStatus = r.outcome === 'delivered' ? 'delivered' : r.outcome === 'retry' ? 'pending' : 'failed';
    return this.#sqlite.transaction(() => {
      this.#s.insertAttempt.run({
        deliveryId: delivery.id, attempt, at: r.at, durationMs: Math.max(0, Math.round(r.durationMs)),
        responseStatus: r.responseStatus, error: r.error, outcome: r.outcome,
      });
      if (r.outcome === 'gone') this.disable(delivery.endpointId, `the receiver answered 410 Gone at ${new Date(r.at).toISOString()}`);
      return parseDelivery.parse(this.#s.afterAttempt.get({
        deliveryId: delivery.id, attempt, status, nextAttemptAt: r.outcome === 'retry' ? r.nextAttemptAt : null,
      }));
    }).immediate();
  }

  /** Whether the learner passed the exercise in an attempt other than `attemptId` (exercise.passed is for the first). */
  passedBefore(userId: number, exerciseId: string, attemptId: number): boolean {
    return z.object({ yes: z.union([z.literal(0), z.literal(1)]) }).parse(this.#s.passedBefore.get(userId, exerciseId, attemptId)).yes === 1;
  }

  /** Queue a delivery again now, whatever became of it. */
  redeliver(deliveryId: number): WebhookDelivery {
    const row = this.#s.redeliver.get(this.#now(), deliveryId);
    if (row === undefined) throw new NotFoundError('delivery', deliveryId);
    return parseDelivery.parse(row);
  }
}
