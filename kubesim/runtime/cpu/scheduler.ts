// Simulated CPU for simulated processes, metered like a cgroup's CFS quota: the shell
// charges work units (a command, a loop turn, a KiB of string built) to its container's
// account; each account may spend, per time slice, its CPU limit's worth of units
// (500m → half of what one simulated core does in a slice). A process over its quota
// waits for the next slice (throttled, as cpu.stat's nr_throttled counts). All accounts
// together get at most the host's share of the event loop per slice, divided equally
// among the namespaces busy in this or the last slice, so one learner's many Pods
// cannot take another learner's share. Processes within budget still step aside every
// burst (setImmediate: pending I/O — the API server and grading — runs first).
// The slice timer is injected: real time by default (the server's event loop is what
// the quota protects, not simulated time); tests pass a ManualClock and assert on units.
// Source (the model): Documentation/scheduler/sched-bwc.rst (cpu.cfs_period_us / cfs_quota_us)

import type { Clock } from '../../core/clock.ts';
import { RealClock } from '../../core/clock.ts';

export interface CpuSchedulerOptions {
  /** Slice timer (default real time). */
  timer?: Clock;
  /** Slice length, the CFS period (default 100 ms). */
  sliceMs?: number;
  /** Work units one simulated core does in a slice (default 1000: a unit took ~2.2 µs of real CPU on the
   *  2-core bench machine, so one simulated core is ~2% of a real one, see bench/cpu.ts). */
  unitsPerCore?: number;
  /** Simulated cores all containers share per slice (default 16), split fairly among busy namespaces. */
  hostCores?: number;
  /** Units a process may run between two breathers even within budget (default 300, ~0.7 ms). */
  burstUnits?: number;
  /** How a process within budget steps aside (default setImmediate: after pending I/O). */
  breather?: () => Promise<void>;
  /** Told each time an account is throttled (tests wait on it instead of on time). */
  onThrottle?: (account: CpuAccount) => void;
}

export interface AccountKey {
  namespace: string;
  pod: string;
  container: string;
}

/** One container's cpu.stat: total units, slices it ran in, slices it was throttled in. */
export interface CpuStat {
  usageUnits: number;
  periods: number;
  throttled: number;
}

const setImmediateBreather = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class CpuScheduler {
  readonly timer: Clock;
  readonly sliceMs: number;
  readonly unitsPerCore: number;
  readonly hostUnits: number;
  readonly burstUnits: number;
  private readonly breather: () => Promise<void>;
  private readonly onThrottle: ((account: CpuAccount) => void) | undefined;
  private readonly live = new Set<CpuAccount>();
  private slice = Number.NaN;
  private hostUsed = 0;
  private nsUsed = new Map<string, number>();
  private nsBusyBefore = new Set<string>();

  constructor(options: CpuSchedulerOptions = {}) {
    this.timer = options.timer ?? new RealClock();
    this.sliceMs = options.sliceMs ?? 100;
    this.unitsPerCore = options.unitsPerCore ?? 1000;
    this.hostUnits = (options.hostCores ?? 16) * this.unitsPerCore;
    this.burstUnits = options.burstUnits ?? 300;
    this.breather = options.breather ?? setImmediateBreather;
    this.onThrottle = options.onThrottle;
  }

  /** An account for a container with this CPU limit in cores (undefined: no limit, the host's share bounds it). */
  account(key: AccountKey, limitCores: number | undefined): CpuAccount {
    const quota = limitCores === undefined ? this.hostUnits : Math.max(1, Math.floor(limitCores * this.unitsPerCore));
    const account = new CpuAccount(this, key, quota);
    this.live.add(account);
    return account;
  }

  /** Forget a container that ended. */
  release(account: CpuAccount): void {
    this.live.delete(account);
  }

  /** Accounts of running containers (for tools and the benchmark). */
  accounts(): CpuAccount[] {
    return [...this.live];
  }

  /** The units a namespace may spend in this slice: the host's units split among busy namespaces. */
  namespaceShare(): number {
    this.roll();
    const busy = new Set([...this.nsBusyBefore, ...this.nsUsed.keys()]);
    return Math.floor(this.hostUnits / Math.max(1, busy.size));
  }

  namespaceUsed(namespace: string): number {
    this.roll();
    return this.nsUsed.get(namespace) ?? 0;
  }

  /** @internal */
  currentSlice(): number {
    this.roll();
    return this.slice;
  }

  /** @internal */
  record(account: CpuAccount, units: number): void {
    this.roll();
    this.hostUsed += units;
    this.nsUsed.set(account.key.namespace, (this.nsUsed.get(account.key.namespace) ?? 0) + units);
  }

  /** @internal Whether the account's namespace or the host has spent this slice. */
  sharedBudgetSpent(account: CpuAccount): boolean {
    return this.hostUsed >= this.hostUnits || this.namespaceUsed(account.key.namespace) >= this.namespaceShare();
  }

  /** @internal Resolves at the start of the next slice. */
  nextSlice(account: CpuAccount): Promise<void> {
    const now = this.timer.now();
    const wait = (Math.floor(now / this.sliceMs) + 1) * this.sliceMs - now;
    this.onThrottle?.(account);
    // Woken through a breather too: I/O that came in meanwhile is served before the slice's work.
    return new Promise((resolve) => { this.timer.after(wait, () => { void this.breather().then(resolve); }); });
  }

  /** @internal */
  breathe(): Promise<void> {
    return this.breather();
  }

  private roll(): void {
    const slice = Math.floor(this.timer.now() / this.sliceMs);
    if (slice === this.slice) return;
    // Busy in the slice just ended (not older ones): a namespace that stopped gives its share back.
    this.nsBusyBefore = slice === this.slice + 1 ? new Set(this.nsUsed.keys()) : new Set();
    this.slice = slice;
    this.hostUsed = 0;
    this.nsUsed = new Map();
  }
}

export class CpuAccount {
  private readonly stat: CpuStat = { usageUnits: 0, periods: 0, throttled: 0 };
  private slice = Number.NaN;
  private sliceUsed = 0;
  private sinceBreath = 0;
  private throttledSlice = Number.NaN;

  constructor(
    private readonly scheduler: CpuScheduler,
    readonly key: AccountKey,
    /** Units this container may spend per slice (its CPU limit). */
    readonly quota: number,
  ) {}

  /** Units spent in the current slice. */
  get usedThisSlice(): number {
    this.roll();
    return this.sliceUsed;
  }

  cpuStat(): CpuStat {
    return { ...this.stat };
  }

  /** Charge work done; cheap, never waits (the process waits at its next checkpoint). */
  charge(units = 1): void {
    this.roll();
    this.sliceUsed += units;
    this.sinceBreath += units;
    this.stat.usageUnits += units;
    this.scheduler.record(this, units);
  }

  /**
   * At a point where the process may pause: undefined to go on, or a promise to wait
   * for — the next slice when over quota (throttled), a breather after a burst.
   */
  checkpoint(): Promise<void> | undefined {
    this.roll();
    if (this.sliceUsed >= this.quota || this.scheduler.sharedBudgetSpent(this)) {
      if (this.throttledSlice !== this.slice) {
        this.throttledSlice = this.slice;
        this.stat.throttled++;
      }
      this.sinceBreath = 0;
      return this.scheduler.nextSlice(this);
    }
    if (this.sinceBreath >= this.scheduler.burstUnits) {
      this.sinceBreath = 0;
      return this.scheduler.breathe();
    }
    return undefined;
  }

  private roll(): void {
    const slice = this.scheduler.currentSlice();
    if (slice === this.slice) return;
    this.slice = slice;
    this.sliceUsed = 0;
    this.stat.periods++;
  }
}
