// The services behind the HTTP routes, started together: the cluster pool (one or more
// members, each embedded kubesim or a kubeconfig) with its health probe, learner
// environments with their reaper and warm pool, and the grading queue. `kubelab serve` and the test app both start them here, so tests run
// what production runs.
import { GradingEngine, type Timing } from '../graders/engine.ts';
import type { Catalog } from './catalog/loader.ts';
import { connectCluster, type ConnectedCluster, type EmbeddedOptions } from './cluster/connect.ts';
import { EMBEDDED_WORKERS, embeddedMaxPodsPerNode } from './cluster/sizing.ts';
// Only the pace table (no imports of its own): the simulator itself loads lazily in connect.ts.
import { paceAtSpeed } from '../kubesim/controlplane/pace.ts';
import { DEFAULT_LIMITS } from './environments/manifests.ts';
import type { Config } from './config/config.ts';
import type { Db } from './db/database.ts';
import { EnvironmentNotReadyError } from './environments/errors.ts';
import { startEnvironments, type RunningEnvironments } from './environments/index.ts';
import type { Scheduler } from './environments/reaper.ts';
import { EnvironmentService } from './environments/service.ts';
import { GradingService, type Grader } from './grading/service.ts';
import { Webhooks, type WebhooksOptions } from './webhooks/service.ts';
import { poolMembers, type PoolMemberConfig } from './cluster/pool/config.ts';
import { ClusterPool, type PoolMember } from './cluster/pool/pool.ts';
import { MemberUnavailableError } from './cluster/pool/errors.ts';
import { intervalScheduler } from './environments/reaper.ts';
import { WarmPool } from './environments/warm.ts';

export interface PlatformDeps {
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  /** The pool's members when the caller has read them already (serve checks the pool file before binding); default poolMembers(config). */
  readonly members?: readonly PoolMemberConfig[];
  readonly now?: () => number;
  /** Options for the embedded cluster (seed, port...), ignored for a kubeconfig cluster. */
  readonly embedded?: EmbeddedOptions;
  /** Per pool member, options merged over `embedded` (each embedded member needs its own state file). */
  readonly embeddedFor?: (member: string) => EmbeddedOptions;
  /** Grader time budgets; the defaults suit a real cluster. */
  readonly timing?: Partial<Timing>;
  /** When the reaper sweeps (default: every minute, on real timers). */
  readonly reaperScheduler?: Scheduler;
  /** Where background failures go (reaper sweeps, grades that blew up). */
  readonly onError?: (message: string, error?: unknown) => void;
  /** Webhook delivery's clock, jitter, DNS and timers (tests); the defaults are the real ones. */
  readonly webhooks?: Partial<Pick<WebhooksOptions, 'random' | 'randomBytes' | 'resolve' | 'wakeAt' | 'timeoutMs' | 'send'>>;
  /** When the pool's health probe runs (default: every 10 s, on real timers). */
  readonly healthScheduler?: Scheduler;
  readonly healthIntervalMs?: number;
  /** Consecutive failed probes before a member is marked down (default 2). */
  readonly failuresBeforeUnhealthy?: number;
  /** Warm namespace name suffixes (tests make them predictable). */
  readonly randomSuffix?: () => string;
}

export interface Platform {
  /** The first pool member's connection (the only one without KUBELAB_CLUSTERS). */
  readonly cluster: ConnectedCluster;
  /** Every member's connection, by member name. */
  readonly clusters: ReadonlyMap<string, ConnectedCluster>;
  readonly pool: ClusterPool;
  /** Namespaces provisioned ahead, when KUBELAB_WARM_ENVIRONMENTS asks for any. */
  readonly warm: WarmPool | undefined;
  readonly environments: EnvironmentService;
  readonly grading: GradingService;
  /** Webhook endpoints and their outbox, fed by grading and the reaper. */
  readonly webhooks: Webhooks;
  /** What start-up reconciliation found (orphan namespaces deleted, records marked). */
  readonly reconciled: RunningEnvironments['reconciled'];
  close(): Promise<void>;
}

export async function startPlatform(deps: PlatformDeps): Promise<Platform> {
  const { config, db, catalog } = deps;
  const now = deps.now ?? Date.now;
  const onError = deps.onError ?? ((message: string) => process.stderr.write(`${message}\n`));
  const memberConfigs: readonly PoolMemberConfig[] = deps.members ?? poolMembers(config);
  for (const id of Object.keys(config.warmEnvironments)) {
    if (!catalog.byId(id)) throw new Error(`KUBELAB_WARM_ENVIRONMENTS: no exercise with id "${id}"`);
  }
  const connected = new Map<string, ConnectedCluster>();
  const closeAll = async () => {
    for (const c of connected.values()) await c.close().catch(() => undefined);
  };
  try {
    for (const m of memberConfigs) {
      // Each embedded member is sized for its own capacity, so a full member never lacks Pod slots.
      const maxPodsPerNode = embeddedMaxPodsPerNode(m.capacity, DEFAULT_LIMITS.pods);
      connected.set(
        m.name,
        await connectCluster(m.connect, {
          startOptions: {
            workers: EMBEDDED_WORKERS,
            pace: paceAtSpeed(config.embeddedSpeed),
            ...(maxPodsPerNode ? { maxPodsPerNode } : {}),
            ...deps.embedded?.startOptions,
            ...deps.embeddedFor?.(m.name).startOptions,
          },
        }),
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const stops: (() => void)[] = [];
  try {
    const members: PoolMember[] = memberConfigs.map((m) => {
      const c = connected.get(m.name)!;
      return {
        name: m.name,
        mode: c.mode,
        capacity: m.capacity,
        weight: m.weight,
        client: c.client,
        kubeconfig: c.kubeconfig,
        learnerServer: m.learnerApiServer ? { ...c.client.server, url: m.learnerApiServer } : c.client.server,
      };
    });
    const webhooks = new Webhooks({
      db,
      dataDir: config.dataDir,
      allowPrivate: config.webhooksAllowPrivate,
      now,
      userAgent: `kubelab-webhooks (+${config.publicUrl})`,
      onError,
      ...deps.webhooks,
    });
    const pool = new ClusterPool(members, {
      db,
      now,
      ...(deps.failuresBeforeUnhealthy ? { failuresBeforeUnhealthy: deps.failuresBeforeUnhealthy } : {}),
      onHealthChange: (member, healthy, error) =>
        onError(healthy ? `cluster ${member} answers again` : `cluster ${member} is not answering: ${error ?? 'unknown error'}`),
    });
    const hasWarm = Object.values(config.warmEnvironments).some((n) => n > 0);
    let environments: EnvironmentService | undefined;
    const waiting = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), maxPolls: 120 };
    const warm = hasWarm
      ? new WarmPool({
          db,
          pool,
          targets: config.warmEnvironments,
          exercise: (id) => catalog.byId(id),
          now,
          ttlMs: config.namespaceTtlMs,
          waiting,
          ensureNodeReader: (member) => environments!.ensureNodeReader(member),
          ...(deps.randomSuffix ? { randomSuffix: deps.randomSuffix } : {}),
          onError: (message) => onError(message),
        })
      : undefined;
    environments = new EnvironmentService({
      db,
      pool,
      exercise: (id) => catalog.byId(id),
      now,
      ttlMs: config.namespaceTtlMs,
      ttlFor: (userId, exerciseId) => db.classes.environmentTtlFor(userId, exerciseId),
      maxEnvironments: config.maxEnvironments,
      maxEnvironmentsPerLearner: config.maxEnvironmentsPerLearner,
      onExpired: (env) => webhooks.environmentExpired(env),
      ...(warm ? { warm } : {}),
    });
    const service = environments;
    // One grading engine per member; each grade goes to the member its namespace lives on.
    const engines = new Map(members.map((m) => [m.name, new GradingEngine({ client: m.client, kubeconfig: m.kubeconfig, ...(deps.timing ? { timing: deps.timing } : {}) })]));
    const grader: Grader = {
      grade: (request) => {
        const env = db.environments.selectOptionalByNamespace(request.namespace);
        const engine = env && engines.get(env.cluster);
        if (!env || !engine) throw new MemberUnavailableError();
        return engine.grade(request);
      },
    };
    const grading = new GradingService({
      db,
      catalog,
      grader,
      concurrency: config.gradingConcurrency,
      // A grade needs a ready environment on a member that answers: one still provisioning
      // or failed is a 409, one on a member that is down a plain 503, never a verdict.
      environment: (userId, exerciseId) => {
        const env = service.get(userId, exerciseId);
        if (env.status !== 'ready') throw new EnvironmentNotReadyError(env.status, env.error);
        pool.require(env.cluster);
        return env;
      },
      onFinished: (attempt) => webhooks.attemptFinished(attempt),
      onFailure: (attemptId, error) => onError(`grading attempt ${attemptId} failed: ${error instanceof Error ? error.message : String(error)}`, error),
    });
    const running = await startEnvironments(db, service, {
      now,
      onError: (message) => onError(message),
      ...(deps.reaperScheduler ? { scheduler: deps.reaperScheduler } : {}),
    });
    // Whatever the last process left in the outbox goes out now.
    webhooks.start();
    let probing: Promise<void> | undefined;
    stops.push(
      (deps.healthScheduler ?? intervalScheduler).every(deps.healthIntervalMs ?? 10_000, () => {
        probing ??= pool.probe().finally(() => (probing = undefined));
      }),
    );
    if (warm) {
      // Refilled on the reaper's beat (which also reaps expired warm namespaces), and once now.
      stops.push((deps.reaperScheduler ?? intervalScheduler).every(60_000, () => void warm.refill()));
      void warm.refill();
    }
    return {
      cluster: connected.get(memberConfigs[0]!.name)!,
      clusters: connected,
      pool,
      warm,
      environments: service,
      grading,
      webhooks,
      reconciled: running.reconciled,
      async close() {
        for (const stop of stops) stop();
        await probing;
        await warm?.settled();
        await running.reaper.stop();
        await grading.drain();
        // After the grades: their events are in the outbox; unsent ones wait for the next start.
        await webhooks.close();
        await closeAll();
      },
    };
  } catch (error) {
    for (const stop of stops) stop();
    await closeAll();
    throw error;
  }
}
