// Time and randomness are injected everywhere in the simulator so tests can run a
// cluster deterministically: ManualClock fires timers only when a test advances it.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch, simulated or real. */
  now(): number;
  /** Run fn after ms of this clock's time. */
  after(ms: number, fn: () => void): TimerHandle;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  after(ms: number, fn: () => void): TimerHandle {
    // Node clamps delays above 2^31-1 ms to 1 ms (TimeoutOverflowWarning), which would
    // make `sleep infinity` end at once: never fire an infinite delay, and chain long ones.
    if (!Number.isFinite(ms)) return { cancel: () => undefined };
    let t: NodeJS.Timeout | undefined;
    const due = Date.now() + ms;
    const arm = () => {
      const left = due - Date.now();
      t = setTimeout(left > MAX_TIMEOUT_MS ? arm : fn, Math.min(Math.max(0, left), MAX_TIMEOUT_MS));
      t.unref?.();
    };
    arm();
    return { cancel: () => clearTimeout(t) };
  }
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): TimerHandle {
    if (!Number.isFinite(ms)) return { cancel: () => undefined };
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Timers still waiting to fire. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** The time of the next timer, if any. */
  nextAt(): number | undefined {
    const live = this.timers.filter((t) => !t.cancelled);
    return live.length ? Math.min(...live.map((t) => t.at)) : undefined;
  }

  /** Move time forward by ms, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }
}

/** A seedable source of randomness in [0, 1). */
export interface Rng {
  next(): number;
}

/** mulberry32: small, fast, good enough for load-balancing choices and name suffixes. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export const mathRng: Rng = { next: () => Math.random() };

export function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(rng.next() * items.length)];
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Random lowercase suffix as Kubernetes' generateName uses (utilrand.String alphabet). */
export function randomSuffix(rng: Rng, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
  return s;
}
