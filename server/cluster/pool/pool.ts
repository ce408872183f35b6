// Several clusters behind one kubelab. The pool knows each member's client, capacity,
// weight and health; SQLite knows what runs where (environments.cluster) and which
// members are cordoned. Placement reads both inside the caller's transaction, so two
// Starts at once cannot both take a member's last slot.
import type { ClusterClient, ServerInfo } from '../types.ts';
import type { Db } from '../../db/index.ts';
import { MemberUnavailableError, PoolFullError, UnknownMemberError } from './errors.ts';

export interface PoolMember {
  readonly name: string;
  readonly mode: 'embedded' | 'kubeconfig';
  readonly capacity: number;
  readonly weight: number;
  /** kubelab's own (admin) client for this member. */
  readonly client: ClusterClient;
  /** The kubeconfig text kubelab uses for this member (the grader's exec and script checks). */
  readonly kubeconfig: string;
  /** The API server as learners reach it (written into their kubeconfigs). */
  readonly learnerServer: ServerInfo;
}

export interface MemberStatus {
  name: string;
  mode: PoolMember['mode'];
  capacity: number;
  weight: number;
  /** Learner environments plus warm ones: both hold a namespace. */
  used: number;
  environments: number;
  warm: number;
  cordoned: boolean;
  healthy: boolean;
  /** Why the last probe failed, while unhealthy. */
  lastError: string | null;
  /** Epoch ms of the last probe, or null before the first. */
  checkedAt: number | null;
}

export interface ClusterPoolOptions {
  db: Db;
  now: () => number;
  /** Consecutive failed probes before a member counts as down (default 2: one lost packet is not an outage). */
  failuresBeforeUnhealthy?: number;
  /** Give up on one probe after this long (default 5 s): a hung member must not hang the probe loop. */
  probeTimeoutMs?: number;
  /** Told when a member goes down or comes back. */
  onHealthChange?: (member: string, healthy: boolean, error?: string) => void;
}

interface Health {
  healthy: boolean;
  failures: number;
  lastError: string | null;
  checkedAt: number | null;
}

export class ClusterPool {
  readonly #members: ReadonlyMap<string, PoolMember>;
  readonly #health = new Map<string, Health>();
  readonly #o: ClusterPoolOptions;

  constructor(members: readonly PoolMember[], options: ClusterPoolOptions) {
    if (members.length === 0) throw new Error('a cluster pool needs at least one member');
    this.#members = new Map(members.map((m) => [m.name, m]));
    this.#o = options;
    for (const m of members) this.#health.set(m.name, { healthy: true, failures: 0, lastError: null, checkedAt: null });
  }

  get members(): PoolMember[] {
    return [...this.#members.values()];
  }

  find(name: string): PoolMember | undefined {
    return this.#members.get(name);
  }

  /** For admin operations: the member, whatever its health. */
  get(name: string): PoolMember {
    const member = this.#members.get(name);
    if (!member) throw new UnknownMemberError(name);
    return member;
  }

  /**
   * For learner operations: the member holding their environment, if it answers. A
   * member missing from the configuration is as unreachable as a stopped one.
   */
  require(name: string): PoolMember {
    const member = this.#members.get(name);
    if (!member || !this.isHealthy(name)) throw new MemberUnavailableError();
    return member;
  }

  isHealthy(name: string): boolean {
    return this.#health.get(name)?.healthy ?? false;
  }

  /** Used per member: live learner environments plus warm ones. */
  usage(): Map<string, { environments: number; warm: number }> {
    const live = this.#o.db.environments.countLiveByCluster();
    const warm = this.#o.db.clusterPool.countWarmByCluster();
    return new Map(this.members.map((m) => [m.name, { environments: live.get(m.name) ?? 0, warm: warm.get(m.name) ?? 0 }]));
  }

  /** Members that may take a new environment now, with their free slots. */
  #candidates(): { member: PoolMember; free: number }[] {
    const cordoned = this.#o.db.clusterPool.cordoned();
    const usage = this.usage();
    return this.members
      .filter((m) => !cordoned.has(m.name) && this.isHealthy(m.name))
      .map((m) => {
        const u = usage.get(m.name) ?? { environments: 0, warm: 0 };
        return { member: m, free: m.capacity - u.environments - u.warm };
      })
      .filter((c) => c.free > 0);
  }

  /**
   * Where a new environment goes: the learner's member when it can take one (their labs
   * stay together), otherwise the member with the most free capacity, as a share of its
   * capacity times its weight, so members fill in proportion. Call inside a transaction.
   */
  place(preferred?: string): PoolMember {
    const candidates = this.#candidates();
    const stay = preferred === undefined ? undefined : candidates.find((c) => c.member.name === preferred);
    if (stay) return stay.member;
    return this.#best(candidates);
  }

  /** Like place, for a warm environment: free slots only, never the learner preference. */
  placeWarm(): PoolMember | undefined {
    const candidates = this.#candidates();
    return candidates.length === 0 ? undefined : this.#best(candidates);
  }

  #best(candidates: { member: PoolMember; free: number }[]): PoolMember {
    let best: { member: PoolMember; score: number } | undefined;
    for (const c of candidates) {
      const score = (c.free / c.member.capacity) * c.member.weight;
      // Ties go to the member listed first, so placement is deterministic.
      if (!best || score > best.score) best = { member: c.member, score };
    }
    if (!best) throw new PoolFullError();
    return best.member;
  }

  cordon(name: string): void {
    this.get(name);
    this.#o.db.clusterPool.cordon(name);
  }

  uncordon(name: string): void {
    this.get(name);
    this.#o.db.clusterPool.uncordon(name);
  }

  status(): MemberStatus[] {
    const cordoned = this.#o.db.clusterPool.cordoned();
    const usage = this.usage();
    return this.members.map((m) => {
      const u = usage.get(m.name) ?? { environments: 0, warm: 0 };
      const h = this.#health.get(m.name)!;
      return {
        name: m.name,
        mode: m.mode,
        capacity: m.capacity,
        weight: m.weight,
        used: u.environments + u.warm,
        environments: u.environments,
        warm: u.warm,
        cordoned: cordoned.has(m.name),
        healthy: h.healthy,
        lastError: h.healthy ? null : h.lastError,
        checkedAt: h.checkedAt,
      };
    });
  }

  /** Probe every member at once; each result updates that member's health. */
  async probe(): Promise<void> {
    await Promise.all(this.members.map((m) => this.#probeOne(m)));
  }

  async #probeOne(member: PoolMember): Promise<void> {
    const timeoutMs = this.#o.probeTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        // A real read, not discovery (which the client caches): it fails as soon as the apiserver does.
        member.client.find({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
        }),
      ]);
      this.#record(member.name, undefined);
    } catch (err) {
      this.#record(member.name, err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A call to the member failed as unreachable: count it like a failed probe, so a
   * member that dies between probes is noticed by the requests that hit it.
   */
  reportUnreachable(name: string, error: string): void {
    if (this.#members.has(name)) this.#record(name, error);
  }

  #record(name: string, error: string | undefined): void {
    const h = this.#health.get(name)!;
    const wasHealthy = h.healthy;
    h.checkedAt = this.#o.now();
    if (error === undefined) {
      h.failures = 0;
      h.healthy = true;
      h.lastError = null;
    } else {
      h.failures += 1;
      h.lastError = error;
      if (h.failures >= (this.#o.failuresBeforeUnhealthy ?? 2)) h.healthy = false;
    }
    if (wasHealthy !== h.healthy) this.#o.onHealthChange?.(name, h.healthy, h.lastError ?? undefined);
  }
}
