// The reaper: every interval, delete the environments whose time is up. Scheduling is
// injected so tests drive it with a fake clock instead of waiting.
import type { EnvironmentService } from './service.ts';

export interface Scheduler {
  /** Call fn every ms until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

export const intervalScheduler: Scheduler = {
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface ReaperOptions {
  service: EnvironmentService;
  now: () => number;
  intervalMs?: number;
  scheduler?: Scheduler;
  onError?: (message: string) => void;
}

export interface Reaper {
  /** One sweep now (also what each tick runs); resolves when it finishes. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
}

export function startReaper(o: ReaperOptions): Reaper {
  let running: Promise<string[]> | undefined;
  const sweep = (): Promise<string[]> => {
    // Ticks never overlap: a slow sweep makes the next tick join it.
    running ??= o.service
      .reapExpired(o.now())
      .then(({ reaped, failed }) => {
        for (const f of failed) o.onError?.(`reaper: ${f.namespace}: ${f.error}`);
        return reaped;
      })
      .catch((err: unknown) => {
        o.onError?.(`reaper: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const cancel = (o.scheduler ?? intervalScheduler).every(o.intervalMs ?? 60_000, () => void sweep());
  return {
    sweep,
    stop: async () => {
      cancel();
      await running;
    },
  };
}
