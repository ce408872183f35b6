// Simulated processes are generators: they run synchronously until they must wait
// (a sleep, a network timeout, stdin from an exec client) and yield that wait. This
// lets the kubelet's synchronous start() see a process that exits at once (busybox
// with no command) while long-running ones continue on the injected clock.

import type { Clock, TimerHandle } from '../core/clock.ts';
import { RealClock } from '../core/clock.ts';

export type Op =
  /** Wait this much simulated time (sleep). */
  | { kind: 'sleep'; ms: number }
  /** A timeout (e.g. wget -T 2 against a DROP): scaled down when the clock is real. */
  | { kind: 'timeout'; ms: number }
  /** Wait for something outside the simulation (stdin from an exec client). */
  | { kind: 'await'; promise: Promise<unknown> };

export type Proc<T> = Generator<Op, T, unknown>;

export function* sleep(ms: number): Proc<void> {
  if (ms > 0) yield { kind: 'sleep', ms };
}

export function* timeout(ms: number): Proc<void> {
  if (ms > 0) yield { kind: 'timeout', ms };
}

export function* awaitPromise<T>(promise: Promise<T>): Proc<T> {
  return (yield { kind: 'await', promise }) as T;
}

export interface Waiter {
  clock: Clock;
  /** Factor applied to 'timeout' waits when the clock is a RealClock. */
  timeoutScale: number;
}

export type Driven<T> =
  | { done: true; value: T }
  | { done: false; promise: Promise<T>; cancel: () => void };

/**
 * Run a process until it finishes or first waits. When it waits, the rest runs on
 * the clock; cancel() stops it (the container was killed) and rejects with Killed.
 */
export function drive<T>(gen: Proc<T>, waiter: Waiter): Driven<T> {
  let step = gen.next();
  if (step.done) return { done: true, value: step.value };
  let timer: TimerHandle | undefined;
  let killed = false;
  let rejectOuter: ((e: Error) => void) | undefined;
  const promise = new Promise<T>((resolve, reject) => {
    rejectOuter = reject;
    const advance = (input: { value: unknown } | { error: unknown }): void => {
      if (killed) return;
      try {
        step = 'error' in input ? gen.throw(input.error) : gen.next(input.value);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      wait();
    };
    const wait = (): void => {
      if (step.done) {
        resolve(step.value);
        return;
      }
      const op = step.value;
      if (op.kind === 'await') {
        op.promise.then((value) => advance({ value }), (error: unknown) => advance({ error }));
        return;
      }
      const ms = op.kind === 'timeout' && waiter.clock instanceof RealClock ? op.ms * waiter.timeoutScale : op.ms;
      timer = waiter.clock.after(ms, () => advance({ value: undefined }));
    };
    wait();
  });
  return {
    done: false,
    promise,
    cancel: () => {
      if (killed) return;
      killed = true;
      timer?.cancel();
      gen.return(undefined as T);
      rejectOuter?.(new Killed());
    },
  };
}

export class Killed extends Error {
  constructor() {
    super('process killed');
    this.name = 'Killed';
  }
}

/** Run a process to completion as a promise. */
export function runProc<T>(gen: Proc<T>, waiter: Waiter): Promise<T> {
  const d = drive(gen, waiter);
  return d.done ? Promise.resolve(d.value) : d.promise;
}
