// Webhooks as the rest of kubelab sees them: who may manage which endpoint, turning
// grading and reaper events into outbox rows, and the dispatcher's life cycle.
// Admins manage every endpoint and alone may make server-wide ones; an instructor
// manages the endpoints of classes they own (another's answers 404, as for classes).
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Attempt } from '../db/attempts.ts';
import type { Db } from '../db/database.ts';
import type { Environment } from '../db/environments.ts';
import { ForbiddenError, HttpError } from '../http/errors.ts';
import { checkedAddresses, RefusedAddressError, systemResolve, type Resolve } from './address-guard.ts';
import { Dispatcher, timerWakeAt, type WakeAt } from './dispatcher.ts';
import { envelope, type EventType, type WebhookEvent } from './events.ts';
import { secretBoxIn, type SecretBox } from './secret-box.ts';
import { httpSend, type Send } from './send.ts';
import { newSecret } from './signature.ts';
import { WebhookStore, type WebhookDelivery, type WebhookDeliveryAttempt, type WebhookEndpoint } from './store.ts';

export interface WebhookCaller {
  readonly id: number;
  readonly role: 'learner' | 'instructor' | 'admin';
}

export interface WebhooksOptions {
  readonly db: Db;
  /** Where the secret key file lives (the data directory). */
  readonly dataDir: string;
  /** KUBELAB_WEBHOOKS_ALLOW_PRIVATE: let endpoints reach loopback and private addresses. */
  readonly allowPrivate: boolean;
  readonly now: () => number;
  readonly userAgent: string;
  readonly random?: () => number;
  readonly randomBytes?: (size: number) => Buffer;
  readonly resolve?: Resolve;
  readonly wakeAt?: WakeAt;
  /** Default 15 s. */
  readonly timeoutMs?: number;
  /** How one webhook goes out; default HTTP with the SSRF guard. */
  readonly send?: Send;
  readonly onError?: (message: string, error?: unknown) => void;
}

export interface EndpointInput {
  readonly url: string;
  readonly description?: string;
  readonly classId: number | null;
  readonly eventTypes: readonly EventType[];
}

/** How long a rotated-out secret still signs, unless the caller says otherwise. */
export const DEFAULT_ROTATION_WINDOW_MS = 24 * 3_600_000;

class WebhookNotFoundError extends HttpError {
  override readonly name = 'WebhookNotFoundError';
  constructor() {
    super(404, 'webhook_not_found', 'no such webhook');
  }
}

export class Webhooks {
  readonly store: WebhookStore;
  readonly dispatcher: Dispatcher;
  readonly #o: WebhooksOptions;
  readonly #box: SecretBox;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #resolve: Resolve;

  constructor(options: WebhooksOptions) {
    this.#o = options;
    this.#randomBytes = options.randomBytes ?? cryptoRandomBytes;
    this.#resolve = options.resolve ?? systemResolve;
    this.store = new WebhookStore(options.db.sqlite, options.now);
    this.#box = secretBoxIn(options.dataDir, this.#randomBytes);
    this.dispatcher = new Dispatcher({
      store: this.store,
      box: this.#box,
      now: options.now,
      random: options.random ?? Math.random,
      wakeAt: options.wakeAt ?? timerWakeAt(options.now),
      send: options.send ?? httpSend({
        resolve: this.#resolve,
        allowPrivate: options.allowPrivate,
        timeoutMs: options.timeoutMs ?? 15_000,
        userAgent: options.userAgent,
      }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** Resume the outbox: whatever a previous process left pending goes out now. */
  start(): void {
    this.dispatcher.poke();
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  // ---- events (called inside the transaction that records what happened) ----

  /** attempt.completed, and exercise.passed on the learner's first pass of the exercise. */
  attemptFinished(attempt: Attempt): void {
    const learner = this.#learner(attempt.userId);
    const at = attempt.finishedAt ?? this.#o.now();
    const common = { attemptId: attempt.id, exerciseId: attempt.exerciseId, learner };
    this.#enqueue({
      type: 'attempt.completed', at, userId: attempt.userId, exerciseId: attempt.exerciseId,
      data: { ...common, result: attempt.result, score: attempt.score, maxScore: attempt.maxScore,
        startedAt: iso(attempt.startedAt), finishedAt: iso(attempt.finishedAt) },
    });
    if (attempt.result === 'passed' && !this.store.passedBefore(attempt.userId, attempt.exerciseId, attempt.id)) {
      this.#enqueue({
        type: 'exercise.passed', at, userId: attempt.userId, exerciseId: attempt.exerciseId,
        data: { ...common, score: attempt.score, maxScore: attempt.maxScore, passedAt: iso(at) },
      });
    }
  }

  /** environment.expired: the reaper deleted an environment whose time was up. */
  environmentExpired(env: Environment): void {
    this.#enqueue({
      type: 'environment.expired', at: this.#o.now(), userId: env.userId, exerciseId: env.exerciseId,
      data: { environmentId: env.id, exerciseId: env.exerciseId, namespace: env.namespace,
        learner: this.#learner(env.userId), expiresAt: iso(env.expiresAt) },
    });
  }

  #learner(userId: number) {
    const user = this.#o.db.users.selectOptional(userId);
    return { id: userId, externalKey: user?.externalKey ?? null, displayName: user?.displayName ?? null };
  }

  #enqueue(event: WebhookEvent): void {
    const endpoints = this.store.subscribers(event.type, event.userId, event.exerciseId);
    if (endpoints.length === 0) return;
    // One id per event, the same at every endpoint and on every retry (receivers dedupe on it).
    const messageId = `msg_${this.#randomBytes(16).toString('base64url')}`;
    const body = envelope(event);
    for (const endpoint of endpoints) this.store.insertDelivery({ endpointId: endpoint.id, messageId, eventType: event.type, body });
    // After the caller's transaction commits (it is synchronous): then the rows are there to send.
    queueMicrotask(() => this.dispatcher.poke());
  }

  // ---- management ----

  #visible(caller: WebhookCaller, endpointId: number): WebhookEndpoint {
    const endpoint = this.store.endpointOptional(endpointId);
    if (!endpoint || !this.#mayManage(caller, endpoint.classId)) throw new WebhookNotFoundError();
    return endpoint;
  }

  #mayManage(caller: WebhookCaller, classId: number | null): boolean {
    if (classId === null) return caller.role === 'admin';
    const klass = this.#o.db.classes.selectOptional(classId);
    // A class that does not exist is managed by nobody (and its id would break the foreign key).
    if (!klass) return false;
    return caller.role === 'admin' || (caller.role === 'instructor' && klass.ownerUserId === caller.id);
  }

  async #checkUrl(text: string): Promise<string> {
    const url = new URL(text);
    try {
      await checkedAddresses(url, this.#resolve, this.#o.allowPrivate);
    } catch (error) {
      if (error instanceof RefusedAddressError) {
        throw new HttpError(400, 'invalid_request', `url: ${error.message}`, [{ path: 'url', message: error.message }]);
      }
      throw error;
    }
    return url.href;
  }

  async create(caller: WebhookCaller, input: EndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    if (input.classId === null) {
      if (caller.role !== 'admin') throw new ForbiddenError('only an admin may register a server-wide webhook: give a classId');
    } else if (!this.#mayManage(caller, input.classId)) {
      throw new HttpError(404, 'class_not_found', 'no such class');
    }
    const url = await this.#checkUrl(input.url);
    const secret = newSecret(this.#randomBytes);
    const endpoint = this.store.createEndpoint({
      url, description: input.description ?? '', classId: input.classId, eventTypes: input.eventTypes,
      secretSealed: this.#box.seal(secret), createdByUserId: caller.id,
    });
    this.#o.db.audit.record({ actorUserId: caller.id, action: 'webhook.create', target: `webhook:${endpoint.id}`, details: { url, classId: input.classId } });
    return { endpoint, secret };
  }

  list(caller: WebhookCaller): WebhookEndpoint[] {
    return this.store.listEndpoints(caller.role === 'admin' ? undefined : caller.id);
  }

  get(caller: WebhookCaller, endpointId: number): WebhookEndpoint {
    return this.#visible(caller, endpointId);
  }

  async update(
    caller: WebhookCaller,
    endpointId: number,
    changes: { url?: string; description?: string; eventTypes?: readonly EventType[]; enabled?: boolean },
  ): Promise<WebhookEndpoint> {
    this.#visible(caller, endpointId);
    const url = changes.url === undefined ? undefined : await this.#checkUrl(changes.url);
    const updated = this.store.updateEndpoint(endpointId, { ...changes, ...(url === undefined ? {} : { url }) });
    this.#o.db.audit.record({ actorUserId: caller.id, action: 'webhook.update', target: `webhook:${endpointId}`, details: { fields: Object.keys(changes) } });
    // Re-enabled: what waited in the outbox may go now.
    if (changes.enabled === true) this.dispatcher.poke();
    return updated;
  }

  remove(caller: WebhookCaller, endpointId: number): void {
    this.#visible(caller, endpointId);
    this.store.deleteEndpoint(endpointId);
    this.#o.db.audit.record({ actorUserId: caller.id, action: 'webhook.delete', target: `webhook:${endpointId}` });
  }

  /** A new secret, shown once; the old one keeps signing (as a second signature) for windowMs. */
  rotateSecret(caller: WebhookCaller, endpointId: number, windowMs = DEFAULT_ROTATION_WINDOW_MS): { endpoint: WebhookEndpoint; secret: string } {
    this.#visible(caller, endpointId);
    const secret = newSecret(this.#randomBytes);
    const endpoint = this.store.rotateSecret(endpointId, this.#box.seal(secret), this.#o.now() + windowMs);
    this.#o.db.audit.record({ actorUserId: caller.id, action: 'webhook.rotate_secret', target: `webhook:${endpointId}`, details: { windowMs } });
    return { endpoint, secret };
  }

  deliveries(caller: WebhookCaller, endpointId: number, page: { before?: number; limit: number }): { delivery: WebhookDelivery; attempts: WebhookDeliveryAttempt[] }[] {
    this.#visible(caller, endpointId);
    return this.store
      .deliveries(endpointId, { before: page.before ?? Number.MAX_SAFE_INTEGER, limit: page.limit })
      .map((delivery) => ({ delivery, attempts: this.store.attempts(delivery.id) }));
  }

  /** Send a delivery again now (same id and body, new timestamp and signature). */
  redeliver(caller: WebhookCaller, endpointId: number, deliveryId: number): WebhookDelivery {
    this.#visible(caller, endpointId);
    const found = this.store.delivery(deliveryId);
    if (!found || found.endpointId !== endpointId) throw new HttpError(404, 'delivery_not_found', 'no such delivery for this webhook');
    const queued = this.store.redeliver(deliveryId);
    this.#o.db.audit.record({ actorUserId: caller.id, action: 'webhook.redeliver', target: `webhook:${endpointId}`, details: { deliveryId } });
    this.dispatcher.poke();
    return queued;
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
