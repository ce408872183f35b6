// In-process fan-out of an attempt's progress to its SSE listeners. Only ever fed
// AFTER the result is in SQLite, so a listener never sees what a crash could lose.
import type { Attempt } from '../db/attempts.ts';
import type { CheckResult } from '../db/checkResults.ts';

export type AttemptEvent = { type: 'check'; result: CheckResult } | { type: 'attempt'; attempt: Attempt };

type Listener = (event: AttemptEvent) => void;
type AnyListener = (attemptId: number, event: AttemptEvent) => void;

export class AttemptEvents {
  readonly #listeners = new Map<number, Set<Listener>>();
  readonly #everything = new Set<AnyListener>();

  /** Every attempt's events (the instructor dashboard filters them by class). */
  subscribeAll(listener: AnyListener): () => void {
    this.#everything.add(listener);
    return () => {
      this.#everything.delete(listener);
    };
  }

  subscribe(attemptId: number, listener: Listener): () => void {
    let set = this.#listeners.get(attemptId);
    if (!set) {
      set = new Set();
      this.#listeners.set(attemptId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(attemptId);
    };
  }

  publish(attemptId: number, event: AttemptEvent): void {
    for (const listener of [...(this.#listeners.get(attemptId) ?? [])]) listener(event);
    for (const listener of [...this.#everything]) listener(attemptId, event);
  }
}
