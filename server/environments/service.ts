// Learner environments: one namespace per (learner, exercise), its lifecycle and the
// SQLite record that mirrors it. All work for one learner runs under one in-process
// lock; the cluster's AlreadyExists and the table's UNIQUE namespace guard the rest.
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
import type { Environment } from '../db/environments.ts';

/** What provisioning needs from an exercise (the catalog's Exercise fits). */
export interface ExerciseSetup {
  id: string;
  setup: readonly { object: { apiVersion: string; kind: string; metadata: { name: string } } }[];
}

export interface EnvironmentServiceOptions {
  db: Db;
  cluster: ClusterClient;
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
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class EnvironmentService {
  private readonly lock = new KeyedLock();
  private readonly waiting: Waiting;
  private readonly learnerClients = new Map<string, { client: ClusterClient; validUntil: number }>();
  private nodeReaderReady = false;

  constructor(private readonly o: EnvironmentServiceOptions) {
    this.waiting = { sleep: o.sleep ?? realSleep, maxPolls: o.maxPolls ?? 120 };
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
        await deleteEnvironment(this.o.cluster, namespace);
        await waitForNamespaceGone(this.o.cluster, namespace, this.waiting);
        this.repo.setStatus(existing.id, 'deleted');
      }
      const { env, created } = this.claim(userId, exerciseId, namespace, this.repo.selectOptionalByNamespace(namespace));
      return { environment: await this.provision(env, exercise), created };
    });
  }

  /** Limits and the row in one transaction, so concurrent learners cannot overshoot the total. */
  private claim(userId: number, exerciseId: string, namespace: string, existing: Environment | undefined): { env: Environment; created: boolean } {
    const expiresAt = this.o.now() + this.ttl(userId, exerciseId);
    return this.o.db.transaction(() => {
      const current = this.repo.selectOptionalByNamespace(namespace) ?? existing;
      if (current && current.status !== 'deleted' && current.status !== 'deleting') return { env: current, created: false };
      if (this.repo.countLiveForUser(userId) >= this.o.maxEnvironmentsPerLearner) throw new LearnerLimitError(this.o.maxEnvironmentsPerLearner);
      if (this.repo.countLive() >= this.o.maxEnvironments) throw new CapacityError(this.o.maxEnvironments);
      if (current) {
        // Same learner and exercise as before: the namespace name is the same, so the row is reused.
        this.repo.extend(current.id, expiresAt);
        return { env: this.repo.setStatus(current.id, 'provisioning'), created: true };
      }
      return { env: this.repo.create({ userId, exerciseId, namespace, expiresAt }), created: true };
    });
  }

  private async provision(env: Environment, exercise: ExerciseSetup): Promise<Environment> {
    if (env.status !== 'provisioning') env = this.repo.setStatus(env.id, 'provisioning');
    try {
      if (!this.nodeReaderReady) {
        await ensureNodeReaderRole(this.o.cluster);
        this.nodeReaderReady = true;
      }
      const spec = { namespace: env.namespace, ownerHash: ownerHash(env.userId), exerciseId: env.exerciseId, expiresAt: env.expiresAt, ...(this.o.limits ? { limits: this.o.limits } : {}) };
      await provisionEnvironment(this.o.cluster, spec, exercise.setup.map((m) => m.object as KubeObject), this.waiting);
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

  /** A kubeconfig for the learner's ServiceAccount, valid until the environment expires. */
  async kubeconfig(userId: number, exerciseId: string): Promise<{ kubeconfig: string; environment: Environment }> {
    this.exerciseOf(exerciseId);
    const env = this.requireReady(userId, exerciseId);
    const { token } = await this.o.cluster.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, tokenSecondsUntil(env.expiresAt, this.o.now()));
    return { kubeconfig: learnerKubeconfig({ server: this.o.learnerServer ?? this.o.cluster.server, namespace: env.namespace, token }), environment: env };
  }

  /**
   * A short-lived kubeconfig for kubelab's own watches on the learner's behalf (the live
   * view): the learner's ServiceAccount, so RBAC keeps it inside their namespace, at the
   * address kubelab itself reaches the cluster.
   */
  async watchKubeconfig(userId: number, exerciseId: string): Promise<{ namespace: string; kubeconfig: string; validForMs: number }> {
    this.exerciseOf(exerciseId);
    const env = this.requireReady(userId, exerciseId);
    const { token } = await this.o.cluster.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, MIN_TOKEN_SECONDS);
    return { namespace: env.namespace, kubeconfig: learnerKubeconfig({ server: this.o.cluster.server, namespace: env.namespace, token }), validForMs: (MIN_TOKEN_SECONDS - 60) * 1000 };
  }

  /** Delete the namespace, wait until it is gone, and build it again from scratch. */
  reset(userId: number, exerciseId: string): Promise<Environment> {
    const exercise = this.exerciseOf(exerciseId);
    return this.forLearner(userId, async () => {
      const env = this.require(userId, exerciseId);
      if (env.status === 'deleting') throw new EnvironmentNotReadyError(env.status);
      this.learnerClients.delete(env.namespace);
      const provisioning = this.repo.setStatus(env.id, 'provisioning');
      try {
        await deleteEnvironment(this.o.cluster, env.namespace);
        await waitForNamespaceGone(this.o.cluster, env.namespace, this.waiting);
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
      await labelExpiry(this.o.cluster, env.namespace, expiresAt);
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
    this.learnerClients.delete(env.namespace);
    this.repo.setStatus(env.id, 'deleting');
    await deleteEnvironment(this.o.cluster, env.namespace);
    await waitForNamespaceGone(this.o.cluster, env.namespace, this.waiting);
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
    const { token } = await this.o.cluster.createToken(env.namespace, LEARNER_SERVICE_ACCOUNT, MIN_TOKEN_SECONDS);
    const client = this.o.cluster.withToken(token);
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

  get cluster(): ClusterClient {
    return this.o.cluster;
  }

  get waitingOptions(): Waiting {
    return this.waiting;
  }
}
