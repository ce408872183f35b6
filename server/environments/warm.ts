// Warm environments: per exercise, keep N namespaces provisioned ahead (setup applied,
// owned by nobody), so Start only hands one over instead of building it. Namespaces
// cannot be renamed, so the learner gets the warm one's name: its row records it.
// Warm namespaces hold a slot on their member (counted against its capacity), expire
// like any other environment, and are refilled in the background.
import { randomBytes } from 'node:crypto';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import type { ClusterPool } from '../cluster/pool/pool.ts';
import type { WarmEnvironment } from '../db/cluster-pool.ts';
import type { Db } from '../db/index.ts';
import * as L from './labels.ts';
import type { ResourceLimits } from './manifests.ts';
import { isDnsLabel, nodeReaderBindingFor } from './naming.ts';
import { deleteEnvironment, provisionEnvironment, type Waiting } from './provision.ts';
import type { PoolMember } from '../cluster/pool/pool.ts';

/** What a warm namespace is built from (the catalog's Exercise fits, as for the environment service). */
export interface ExerciseSetup {
  id: string;
  setup: readonly { object: { apiVersion: string; kind: string; metadata: { name: string } } }[];
}

/** The owner label of a namespace no learner owns yet. Owner hashes are hex, so no learner's can equal it. */
export const WARM_OWNER = 'warm';

/** What the environment service needs to start a learner from a warm namespace. */
export interface WarmHandover {
  /** Inside the service's transaction: remove and return a ready warm slot for the exercise, the learner's member first. */
  take(exerciseId: string, preferredCluster: string | undefined): WarmEnvironment | undefined;
  /** Make the namespace the learner's: owner labels and expiry. */
  handover(client: ClusterClient, namespace: string, ownerHash: string, expiresAt: number): Promise<void>;
  /** A slot was taken: refill soon. */
  taken(): void;
}

export interface WarmPoolOptions {
  db: Db;
  pool: ClusterPool;
  /** Namespaces to keep ready, per exercise id. */
  targets: Readonly<Record<string, number>>;
  exercise: (id: string) => ExerciseSetup | undefined;
  now: () => number;
  /** How long an unclaimed warm namespace lives before the reaper replaces it. */
  ttlMs: number;
  waiting: Waiting;
  /** Creates the shared node-reader ClusterRole on a member (the environment service's, once per member). */
  ensureNodeReader: (member: PoolMember) => Promise<void>;
  limits?: ResourceLimits;
  /** Namespace suffix source (default: 8 random bytes as hex); tests make it predictable. */
  randomSuffix?: () => string;
  onError?: (message: string) => void;
}

export class WarmPool implements WarmHandover {
  readonly #o: WarmPoolOptions;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: WarmPoolOptions) {
    this.#o = options;
  }

  take(exerciseId: string, preferredCluster: string | undefined): WarmEnvironment | undefined {
    if (!this.#o.targets[exerciseId]) return undefined;
    const { db, pool } = this.#o;
    const cordoned = db.clusterPool.cordoned();
    const usable = pool.members.filter((m) => pool.isHealthy(m.name) && !cordoned.has(m.name)).map((m) => m.name);
    const order = preferredCluster !== undefined && usable.includes(preferredCluster) ? [preferredCluster, ...usable.filter((n) => n !== preferredCluster)] : usable;
    for (const cluster of order) {
      const slot = db.clusterPool.readyWarm(exerciseId, cluster, this.#o.now());
      if (slot && db.clusterPool.removeWarm(slot.id)) return slot;
    }
    return undefined;
  }

  async handover(client: ClusterClient, namespace: string, ownerHash: string, expiresAt: number): Promise<void> {
    await client.patch(
      { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      { metadata: { labels: { [L.OWNER]: ownerHash, [L.EXPIRES]: String(Math.floor(expiresAt / 1000)) } } },
    );
    await client.patch(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(namespace) },
      { metadata: { labels: { [L.OWNER]: ownerHash } } },
    );
  }

  taken(): void {
    void this.refill();
  }

  /** Delete expired or failed warm namespaces, then top every exercise up to its target. Calls never overlap. */
  refill(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.reap();
        await this.#topUp();
      } while (this.#again);
    })()
      .catch((err: unknown) => this.#o.onError?.(`warm pool: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Resolves when no refill is running (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Warm namespaces past their time or failed: deleted on their member (skipped while it is down). */
  async reap(): Promise<void> {
    const { db, pool } = this.#o;
    for (const warm of db.clusterPool.listWarmToReap(this.#o.now())) {
      const member = pool.find(warm.cluster);
      if (member && !pool.isHealthy(member.name)) continue;
      try {
        if (member) await deleteEnvironment(member.client, warm.namespace);
        db.clusterPool.removeWarm(warm.id);
      } catch (err) {
        this.#o.onError?.(`warm pool: deleting ${warm.namespace}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  async #topUp(): Promise<void> {
    const { db, pool } = this.#o;
    for (const [exerciseId, target] of Object.entries(this.#o.targets)) {
      const exercise = this.#o.exercise(exerciseId);
      if (!exercise) continue;
      while ((db.clusterPool.countWarmByExercise().get(exerciseId) ?? 0) < target) {
        // Placement and the row in one transaction, like a learner's Start.
        const slot = db.transaction(() => {
          const member = pool.placeWarm();
          return member && db.clusterPool.addWarm({ exerciseId, cluster: member.name, namespace: this.#name(exerciseId), expiresAt: this.#o.now() + this.#o.ttlMs });
        });
        if (!slot) return; // every member is full, cordoned or down
        await this.#provision(slot, exercise);
      }
    }
  }

  async #provision(slot: WarmEnvironment, exercise: ExerciseSetup): Promise<void> {
    const member = this.#o.pool.get(slot.cluster);
    const spec = { namespace: slot.namespace, ownerHash: WARM_OWNER, exerciseId: slot.exerciseId, expiresAt: slot.expiresAt, ...(this.#o.limits ? { limits: this.#o.limits } : {}) };
    try {
      await this.#o.ensureNodeReader(member);
      await provisionEnvironment(member.client, spec, exercise.setup.map((m) => m.object as KubeObject), this.#o.waiting);
      this.#o.db.clusterPool.setWarmStatus(slot.id, 'ready');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Failed slots are reaped (deleted) on the next refill, then provisioned anew.
      this.#o.db.clusterPool.setWarmStatus(slot.id, 'failed', message);
      throw err;
    }
  }

  #name(exerciseId: string): string {
    const suffix = this.#o.randomSuffix?.() ?? randomBytes(8).toString('hex');
    const name = `kl-warm-${exerciseId.slice(0, 20).replace(/-+$/, '')}-${suffix}`;
    if (!isDnsLabel(name)) throw new Error(`warm namespace name ${name} is not a DNS label`);
    return name;
  }
}
