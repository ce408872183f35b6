// Learner environments: one namespace per (learner, exercise), its lifecycle and the
// SQLite record that mirrors it. All work for one learner runs under one in-process
// lock; the cluster's AlreadyExists and the table's UNIQUE namespace guard the rest.
// Each environment lives on one member of the cluster pool (its row says which); every
// cluster call goes to that member, and a member that is down fails only its own learners.
import { ClusterUnavailableError, KubernetesError } from '../cluster/errors.ts';
import type { ClusterClient, KubeObject, ServerInfo } from '../cluster/types.ts';
import type { Db } from '../db/index.ts';
import { applyObjects, checkNamespacedKinds, type ApplyResult } from './apply.ts';
import {
  CapacityError,
  EnvironmentNotFoundError,
  EnvironmentNotReadyError,
  ExerciseNotFoundError,
  LearnerLimitError,
  NamespaceConflictError,
  ProvisioningFailedError,
} from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';
import { LEARNER_SERVICE_ACCOUNT } from './labels.ts';
import { learnerKubeconfig, MIN_TOKEN_SECONDS, tokenSecondsUntil } from './learner-kubeconfig.ts';
import { parseManifests } from './manifest-input.ts';
import type { ResourceLimits } from './manifests.ts';
import { namespaceFor, ownerHash } from './naming.ts';
import { deleteEnvironment, ensureNodeReaderRole, labelExpiry, provisionEnvironment, ProvisioningError, waitForNamespaceGone, type Waiting } from './provision.ts';
import { DEFAULT_CLUSTER, type Environment } from '../db/environments.ts';
import { ClusterPool, type PoolMember } from '../cluster/pool/pool.ts';
import type { WarmHandover } from './warm.ts';

/** What provisioning needs from an exercise (the catalog's Exercise fits). */
export interface ExerciseSetup {
  id: string;
  setup: readonly { object: { apiVersion: string; kind: string; metadata: { name: string } } }[];
}

export interface EnvironmentServiceOptions {
  db: Db;
  /** The pool of clusters environments are placed on; or `cluster` alone, a pool of one. */
  pool?: ClusterPool;
  cluster?: ClusterClient;
  exercise: (id: string) => ExerciseSetup | undefined;
  now: () => number;
  ttlMs: number;
  /** A longer or shorter lifetime for this learner's environment (a class's setting), if any. */
  ttlFor?: (userId: number, exerciseId: string) => number | undefined;
  maxEnvironments: number;
  maxEnvironmentsPerLearner: number;
  /** Told of each environment the reaper deleted because its time was up (webhooks). */
  onExpired?: (env: Environment) => void;
  /** Delay between polls while a namespace terminates. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  maxPolls?: number;
  limits?: ResourceLimits;
  /**
   * The API server as learners reach it, when that differs from how kubelab reaches it
   * (kubelab in docker compose uses kind's internal address; learners use the host's).
   */
  learnerServer?: ServerInfo;
  /** Hands a warm (provisioned ahead) namespace to a learner on Start, when one is ready. */
  warm?: WarmHandover;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EnvironmentService {
  private readonly lock = new KeyedLock();
  private readonly waiting: Waiting;
  private readonly learnerClients = new Map<string, { client: ClusterClient; validUntil: number }>();
  private readonly nodeReaderReady = new Set<string>();
  readonly pool: ClusterPool;

  constructor(private readonly o: EnvironmentServiceOptions) {
    this.waiting = { sleep: o.sleep ?? realSleep, maxPolls: o.maxPolls ?? 120 };
    if (o.pool) {
      this.pool = o.pool;
    } else {
      if (!o.cluster) throw new Error('EnvironmentService needs a pool or a cluster');
      const single: PoolMember = {
        name: DEFAULT_CLUSTER,
        mode: 'kubeconfig',
        capacity: o.maxEnvironments,
        weight: 1,
        client: o.cluster,
        kubeconfig: '',
        learnerServer: o.learnerServer ?? o.cluster.server,
      };
      this.pool = new ClusterPool([single], { db: o.db, now: o.now });
    }
  }

  /**
   * Run cluster work on the environment's member. A member known to be down fails at
   * once with the plain 503; a call that finds it unreachable counts towards marking it so.
   */
  private async on<T>(cluster: string, fn: (member: PoolMember) => Promise<T>): Promise<T> {
    const member = this.pool.require(cluster);
    try {
      return await fn(member);
    } catch (err) {
      if (err instanceof ClusterUnavailableError) this.pool.reportUnreachable(cluster, err.message);
      throw err;
    }
  }

  private get repo() {
    return this.o.db.environments;
  }

  private forLearner<T>(userId: number, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(String(userId), fn);
  }

  private exerciseOf(exerciseId: string): ExerciseSetup {
    const exercise = this.o.exercise(exerciseId);
    if (!exercise) throw new ExerciseNotFoundError(exerciseId);
    return exercise;
  }

  /**
   * The learner's record for this exercise, if not deleted. Looked up by learner and
   * exercise, not by the computed name: environments created before namespace names
   * were salted keep their stored (older) namespace.
   */
  private find(userId: number, exerciseId: string): Environment | undefined {
    return this.repo.selectOptionalCurrent(userId, exerciseId);
  }

  private require(userId: number, exerciseId: string): Environment {
    const env = this.find(userId, exerciseId);
    if (!env) throw new EnvironmentNotFoundError(exerciseId);
    return env;
  }

  private requireReady(userId: number, exerciseId: string): Environment {
    const env = this.require(userId, exerciseId);
    if (env.status !== 'ready') throw new EnvironmentNotReadyError(env.status, env.error);
    return env;
  }

  private ttl(userId: number, exerciseId: string): number {
    return this.o.ttlFor?.(userId, exerciseId) ?? this.o.ttlMs;
  }

  get(userId: number, exerciseId: string): Environment {
    this.exerciseOf(exerciseId);
    return this.require(userId, exerciseId);
  }

  /** Create the environment, or return the existing one; a failed or interrupted one is provisioned again. */
  ensure(userId: number, exerciseId: string): Promise<{ environment: Environment; created: boolean }> {
    const exercise = this.exerciseOf(exerciseId);
    return this.forLearner(userId, async () => {
      const namespace = this.find(userId, exerciseId)?.namespace ?? namespaceFor(userId, exerciseId, this.o.db.installation.namespaceSalt);
      const existing = this.repo.selectOptionalByNamespace(namespace);
      if (existing && existing.userId !== userId) throw new NamespaceConflictError(namespace);
      if (existing?.status === 'ready') return { environment: existing, created: false };
      if (existing?.status === 'deleting') {
        // A delete that timed out earlier: finish it, so the row no longer counts as live.
        await this.on(existing.cluster, async ({ client }) => {
          await deleteEnvironment(client, namespace);
          await waitForNamespaceGone(client, namespace, this.waiting);
        });
        this.repo.setStatus(existing.id, 'deleted');
      }
      if (this.o.warm && existing?.status !== 'failed') {
        const handed = await this.fromWarm(userId, exerciseId);
        if (handed) return { environment: handed, created: true };
      }
      const { env, created } = this.claim(userId, exerciseId, namespace, this.repo.selectOptionalByNamespace(namespace));
      return { environment: await this.provision(env, exercise), created };
    });
  }

  private checkLimits(userId: number): void {
    if (this.repo.countLiveForUser(userId) >= this.o.maxEnvironmentsPerLearner) throw new LearnerLimitError(this.o.maxEnvironmentsPerLearner);
    if (this.repo.countLive() >= this.o.maxEnvironments) throw new CapacityError(this.o.maxEnvironments);
  }

  /**
   * Start from a warm namespace when one is ready: take it and record the learner's
   * environment in one transaction (no two learners get the same one), then hand it
   * over on the cluster. A handover that fails deletes the namespace and returns
   * undefined, so Start falls back to provisioning from scratch.
   */
  private async fromWarm(userId: number, exerciseId: string): Promise<Environment | undefined> {
    const warm = this.o.warm!;
    const expiresAt = this.o.now() + this.ttl(userId, exerciseId);
    const taken = this.o.db.transaction(() => {
      this.checkLimits(userId);
      const slot = warm.take(exerciseId, this.repo.latestClusterOf(userId));
      return slot && this.repo.create({ userId, exerciseId, namespace: slot.namespace, cluster: slot.cluster, expiresAt });
    });
    if (!taken) return undefined;
    try {
      await this.on(taken.cluster, ({ client }) => warm.handover(client, taken.namespace, ownerHash(userId), expiresAt));
      return this.repo.setStatus(taken.id, 'ready');
    } catch {
      // The namespace may still carry the warm owner label: unusable for this learner.
      await this.teardown(taken).catch(() => undefined);
      if (this.repo.selectOptional(taken.id)?.status !== 'deleted') this.repo.setStatus(taken.id, 'deleted');
      return undefined;
    } finally {
      warm.taken();
    }
  }

  /** Limits and the row in one transaction, so concurrent learners cannot overshoot the total. */
  private claim(userId: number, exerciseId: string, namespace: string, existing: Environment | undefined): { env: Environment; created: boolean } {
    const expiresAt = this.o.now() + this.ttl(userId, exerciseId);
    return this.o.db.transaction(() => {
      const current = this.repo.selectOptionalByNamespace(namespace) ?? existing;
      if (current && current.status !== 'deleted' && current.status !== 'deleting') return { env: current, created: false };
      this.checkLimits(userId);
      // The learner's member when it has room, else the emptiest; a full pool is a 429.
      const cluster = this.pool.place(this.repo.latestClusterOf(userId)).name;
      if (current) {
        // Same learner and exercise as before: the namespace name is the same, so the row is
        // reused (on whichever member has room now: the old namespace is gone).
        this.repo.extend(current.id, expiresAt);
        this.repo.moveTo(current.id, cluster);
        return { env: this.repo.setStatus(current.id, 'provisioning'), created: true };
      }
      return { env: this.repo.create({ userId, exerciseId, namespace, expiresAt, cluster }), created: true };
    });
  }

  private async provision(env: Environment, exercise: ExerciseSetup): Promise<Environment> {
    if (env.status !== 'provisioning') env = this.repo.setStatus(env.id, 'provisioning');
    try {
      const spec = { namespace: env.namespace, ownerHash: ownerHash(env.userId), exerciseId: env.exerciseId, expiresAt: env.expiresAt, ...(this.o.limits ? { limits: this.o.limits } : {}) };
      await this.on(env.cluster, async (member) => {
        await this.ensureNodeReader(member);
        await provisionEnvironment(member.client, spec, exercise.setup.map((m) => m.object as KubeObject), this.waiting);
      });
      return this.repo.setStatus(env.id, 'ready');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.repo.setStatus(env.id, 'failed', message);
      if (err instanceof ProvisioningError || (err instanceof KubernetesError && !(err instanceof ClusterUnavailableError))) {
        throw new ProvisioningFailedError(`could not create your environment: ${message}`);
      }
      throw err;
    }
  }

  /** The shared node-reader ClusterRole, once per member. */
  async ensureNodeReader(member: PoolMember): Promise<void> {
    if (this.nodeReaderReady.has(member.name)) return;
    await ensureNodeReaderRole(member.client);
    this.nodeReaderReady.add(member.name);
  }

  /** A kubeconfig for the learner's ServiceAccount, valid until the environment expires. */
  async kubeconfig(userId: number, exerciseId: string): Promise<{ kubeconfig: string; environment: Environment }> {
    this.exerciseOf(exerciseId);
    const env = this.requireReady(userId, exerciseId);
    return this.on(env.cluster, async (member) => {
      const { token } = await member.client.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, tokenSecondsUntil(env.expiresAt, this.o.now()));
      return { kubeconfig: learnerKubeconfig({ server: member.learnerServer, namespace: env.namespace, token }), environment: env };
    });
  }

  /**
   * A short-lived kubeconfig for kubelab's own watches on the learner's behalf (the live
   * view): the learner's ServiceAccount, so RBAC keeps it inside their namespace, at the
   * address kubelab itself reaches the cluster.
   */
  async watchKubeconfig(userId: number, exerciseId: string): Promise<{ namespace: string; kubeconfig: string; validForMs: number }> {
    this.exerciseOf(exerciseId);
    const env = this.requireReady(userId, exerciseId);
    return this.on(env.cluster, async (member) => {
      const { token } = await member.client.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, MIN_TOKEN_SECONDS);
      return { namespace: env.namespace, kubeconfig: learnerKubeconfig({ server: member.client.server, namespace: env.namespace, token }), validForMs: (MIN_TOKEN_SECONDS - 60) * 1000 };
    });
  }

  /** Delete the namespace, wait until it is gone, and build it again from scratch. */
  reset(userId: number, exerciseId: string): Promise<Environment> {
    const exercise = this.exerciseOf(exerciseId);
    return this.forLearner(userId, async () => {
      const env = this.require(userId, exerciseId);
      if (env.status === 'deleting') throw new EnvironmentNotReadyError(env.status);
      this.pool.require(env.cluster);
      this.learnerClients.delete(env.namespace);
      const provisioning = this.repo.setStatus(env.id, 'provisioning');
      try {
        await this.on(env.cluster, async ({ client }) => {
          await deleteEnvironment(client, env.namespace);
          await waitForNamespaceGone(client, env.namespace, this.waiting);
        });
      } catch (err) {
        this.repo.setStatus(env.id, 'failed', `reset: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      return this.provision(provisioning, exercise);
    });
  }

  /** Push the expiry a full TTL from now and hand out a fresh kubeconfig to match. */
  extend(userId: number, exerciseId: string): Promise<{ environment: Environment; kubeconfig: string }> {
    this.exerciseOf(exerciseId);
    return this.forLearner(userId, async () => {
      const env = this.requireReady(userId, exerciseId);
      const expiresAt = this.o.now() + this.ttl(userId, exerciseId);
      await this.on(env.cluster, ({ client }) => labelExpiry(client, env.namespace, expiresAt));
      this.repo.extend(env.id, expiresAt);
      return this.kubeconfig(userId, exerciseId);
    });
  }

  remove(userId: number, exerciseId: string): Promise<Environment> {
    this.exerciseOf(exerciseId);
    return this.forLearner(userId, async () => this.teardown(this.require(userId, exerciseId)));
  }

  /** Mark deleting, delete, wait, mark deleted. A timeout leaves it deleting for reconcile to finish. */
  private async teardown(env: Environment): Promise<Environment> {
    this.pool.require(env.cluster);
    this.learnerClients.delete(env.namespace);
    this.repo.setStatus(env.id, 'deleting');
    await this.on(env.cluster, async ({ client }) => {
      await deleteEnvironment(client, env.namespace);
      await waitForNamespaceGone(client, env.namespace, this.waiting);
    });
    return this.repo.setStatus(env.id, 'deleted');
  }

  /** Apply learner YAML as the learner's ServiceAccount, so RBAC and quota apply to it. */
  apply(userId: number, exerciseId: string, yamlText: string): Promise<ApplyResult[]> {
    this.exerciseOf(exerciseId);
    // Under the learner's lock, so an apply never lands in the middle of a reset.
    return this.forLearner(userId, async () => {
      const env = this.requireReady(userId, exerciseId);
      const objects = parseManifests(yamlText, env.namespace);
      const client = await this.learnerClient(env);
      await checkNamespacedKinds(client, objects);
      return applyObjects(client, objects);
    });
  }

  /** Cached per namespace while its short-lived token is good; the cache also keeps discovery warm. */
  private async learnerClient(env: Environment): Promise<ClusterClient> {
    const now = this.o.now();
    const cached = this.learnerClients.get(env.namespace);
    if (cached && cached.validUntil > now) return cached.client;
    const client = await this.on(env.cluster, async (member) => {
      const { token } = await member.client.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, MIN_TOKEN_SECONDS);
      return member.client.withToken(token);
    });
    // Renew well before the token's own expiry.
    this.learnerClients.set(env.namespace, { client, validUntil: now + (MIN_TOKEN_SECONDS - 120) * 1000 });
    return client;
  }

  /**
   * Delete every environment whose time is up at `now`. One failure (a namespace stuck
   * terminating) does not stop the sweep; it stays "deleting" and reconcile finishes it.
   */
  async reapExpired(now: number = this.o.now()): Promise<{ reaped: string[]; failed: { namespace: string; error: string }[] }> {
    const reaped: string[] = [];
    const failed: { namespace: string; error: string }[] = [];
    for (const candidate of this.repo.listExpired(now)) {
      try {
        await this.forLearner(candidate.userId, async () => {
          // Re-read under the lock: the learner may have extended or deleted it meanwhile.
          const env = this.repo.selectOptional(candidate.id);
          if (!env || env.expiresAt > now || env.status === 'deleted' || env.status === 'deleting') return;
          const gone = await this.teardown(env);
          reaped.push(env.namespace);
          this.o.onExpired?.(gone);
        });
      } catch (err) {
        failed.push({ namespace: candidate.namespace, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { reaped, failed };
  }

  /** For reconcile and the reaper loop: run work under one learner's lock. */
  withLearnerLock<T>(userId: number, fn: () => Promise<T>): Promise<T> {
    return this.forLearner(userId, fn);
  }

  /**
   * Drain a member: cordon it (no new environments), then delete every environment on
   * it. Learners whose lab was there get a fresh one on another member at their next
   * Start. One that cannot be deleted now stays listed in `failed`; run drain again.
   */
  async drain(cluster: string): Promise<{ deleted: string[]; failed: { namespace: string; error: string }[] }> {
    this.pool.cordon(cluster);
    const deleted: string[] = [];
    const failed: { namespace: string; error: string }[] = [];
    for (const candidate of this.repo.listLiveOnCluster(cluster)) {
      try {
        await this.forLearner(candidate.userId, async () => {
          const env = this.repo.selectOptional(candidate.id);
          if (!env || env.status === 'deleted' || env.cluster !== cluster) return;
          await this.teardown(env);
          deleted.push(env.namespace);
        });
      } catch (err) {
        failed.push({ namespace: candidate.namespace, error: err instanceof Error ? err.message : String(err) });
      }
    }
    // Warm namespaces there too: they hold slots and would be handed to learners.
    for (const warm of this.o.db.clusterPool.listWarmOnCluster(cluster)) {
      try {
        await this.on(cluster, async ({ client }) => {
          await deleteEnvironment(client, warm.namespace);
          await waitForNamespaceGone(client, warm.namespace, this.waiting);
        });
        this.o.db.clusterPool.removeWarm(warm.id);
        deleted.push(warm.namespace);
      } catch (err) {
        failed.push({ namespace: warm.namespace, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { deleted, failed };
  }

  get waitingOptions(): Waiting {
    return this.waiting;
  }
}
