// Drains the outbox: sends each due delivery, logs the attempt, schedules the retry.
// It keeps no state of its own beyond what is in flight: everything it must remember
// is in SQLite, so a restart resumes exactly where the last process stopped (a send
// cut short by shutdown is simply sent again: receivers dedupe on webhook-id).
import { MAX_ATTEMPTS, nextAttemptAt } from './backoff.ts';
import type { SecretBox } from './secret-box.ts';
import type { Send, SendResult } from './send.ts';
import { signedHeaders } from './signature.ts';
import type { AttemptRecord, WebhookDelivery, WebhookEndpoint, WebhookStore } from './store.ts';

/** Calls fn at (about) epoch ms `at`; returns a cancel. Injected so tests move time themselves. */
export type WakeAt = (at: number, fn: () => void) => () => void;

/** Real timers; a wake-up beyond setTimeout's range wakes early and simply re-plans. */
export function timerWakeAt(now: () => number): WakeAt {
  return (at, fn) => {
    const timer = setTimeout(fn, Math.min(Math.max(0, at - now()), 2 ** 31 - 1));
    timer.unref();
    return () => clearTimeout(timer);
  };
}

export interface DispatcherOptions {
  readonly store: WebhookStore;
  readonly box: SecretBox;
  readonly send: Send;
  readonly now: () => number;
  /** [0, 1): the backoff's jitter. */
  readonly random: () => number;
  readonly wakeAt: WakeAt;
  /** Sends in flight at once. */
  readonly concurrency?: number;
  /** Elapsed time of a send, for the log (default performance.now). */
  readonly clock?: () => number;
  readonly onError?: (message: string, error?: unknown) => void;
}

export class Dispatcher {
  readonly #o: DispatcherOptions;
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #aborts = new Set<AbortController>();
  #cancelWake: (() => void) | undefined;
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /** Look at the outbox now: after an event was written, on start, on a wake-up. */
  poke(): void {
    if (this.#closed) return;
    try {
      this.#pump();
    } catch (error) {
      this.#o.onError?.(`webhooks: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  #pump(): void {
    const { store, now } = this.#o;
    const room = (this.#o.concurrency ?? 4) - this.#inFlight.size;
    if (room > 0) {
      for (const delivery of store.due(now(), room + this.#inFlight.size)) {
        if (this.#inFlight.size >= (this.#o.concurrency ?? 4)) break;
        if (this.#inFlight.has(delivery.id)) continue;
        const run = this.#attempt(delivery)
          .catch((error: unknown) => this.#o.onError?.(`webhooks: delivery ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`, error))
          .finally(() => {
          this.#inFlight.delete(delivery.id);
          this.poke();
        });
        this.#inFlight.set(delivery.id, run);
      }
    }
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    // Full: the next finished send pokes again. Otherwise sleep until the next one is due.
    const next = this.#inFlight.size >= (this.#o.concurrency ?? 4) ? undefined : store.nextDueAt();
    if (next !== undefined && next > now()) this.#cancelWake = this.#o.wakeAt(next, () => this.poke());
  }

  async #attempt(delivery: WebhookDelivery): Promise<void> {
    const { store, now } = this.#o;
    const endpoint = store.endpointOptional(delivery.endpointId);
    if (!endpoint?.enabled) return;
    const abort = new AbortController();
    this.#aborts.add(abort);
    const clock = this.#o.clock ?? (() => performance.now());
    const started = clock();
    try {
      let result: SendResult;
      try {
        const headers = signedHeaders(this.#secrets(endpoint), delivery.messageId, now(), delivery.body);
        result = await this.#o.send({ url: endpoint.url, headers: { ...headers }, body: delivery.body }, abort.signal);
      } catch (error) {
        // Logged as a failed attempt with its backoff: left pending and due, it would be retried in a tight loop.
        result = { error: `could not send: ${error instanceof Error ? error.message : String(error)}` };
      }
      // Shutting down: the attempt was cut short by us, not the receiver. Leave it pending.
      if (abort.signal.aborted) return;
      const attempt = delivery.attempts + 1;
      const record = this.#judge(attempt, 'status' in result ? result.status : null, 'error' in result ? result.error : null);
      store.recordAttempt(delivery, attempt, { ...record, durationMs: clock() - started });
    } finally {
      this.#aborts.delete(abort);
    }
  }

  #judge(attempt: number, status: number | null, error: string | null): Omit<AttemptRecord, 'durationMs'> {
    const at = this.#o.now();
    if (status !== null && status >= 200 && status < 300) {
      return { at, responseStatus: status, error: null, outcome: 'delivered', nextAttemptAt: null };
    }
    // 410 Gone is the receiver saying "never again" (Standard Webhooks): stop for good.
    if (status === 410) return { at, responseStatus: status, error: null, outcome: 'gone', nextAttemptAt: null };
    const next = attempt < MAX_ATTEMPTS ? nextAttemptAt(attempt, at, this.#o.random) : undefined;
    return {
      at,
      responseStatus: status,
      error: error ?? (status === null ? 'no answer' : `answered ${status}`),
      outcome: next === undefined ? 'failed' : 'retry',
      nextAttemptAt: next ?? null,
    };
  }

  /** The current secret, and the previous one while its rotation window lasts. */
  #secrets(endpoint: WebhookEndpoint): string[] {
    const { box, now } = this.#o;
    const secrets = [box.open(endpoint.secretSealed)];
    if (endpoint.previousSecretSealed !== null && (endpoint.previousSecretExpiresAt ?? 0) > now()) {
      secrets.push(box.open(endpoint.previousSecretSealed));
    }
    return secrets;
  }

  /** Resolves once nothing is in flight (tests; the outbox itself may still hold future work). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight.values()]);
  }

  /** Stop: no new sends, cut the ones in flight short (they stay pending for next start). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelWake?.();
    for (const abort of this.#aborts) abort.abort();
    await this.settled();
  }
}
