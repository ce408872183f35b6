// The services behind the HTTP routes, started together: the cluster connection
// (embedded kubesim or a kubeconfig), learner environments with their reaper, and the
// grading queue. `kubelab serve` and the test app both start them here, so tests run
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
import { GradingService } from './grading/service.ts';
import { Webhooks, type WebhooksOptions } from './webhooks/service.ts';

export interface PlatformDeps {
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  readonly now?: () => number;
  /** Options for the embedded cluster (seed, port...), ignored for a kubeconfig cluster. */
  readonly embedded?: EmbeddedOptions;
  /** Grader time budgets; the defaults suit a real cluster. */
  readonly timing?: Partial<Timing>;
  /** When the reaper sweeps (default: every minute, on real timers). */
  readonly reaperScheduler?: Scheduler;
  /** Where background failures go (reaper sweeps, grades that blew up). */
  readonly onError?: (message: string, error?: unknown) => void;
  /** Webhook delivery's clock, jitter, DNS and timers (tests); the defaults are the real ones. */
  readonly webhooks?: Partial<Pick<WebhooksOptions, 'random' | 'randomBytes' | 'resolve' | 'wakeAt' | 'timeoutMs' | 'send'>>;
}

export interface Platform {
  readonly cluster: ConnectedCluster;
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
  const maxPodsPerNode = embeddedMaxPodsPerNode(config.maxEnvironments, DEFAULT_LIMITS.pods);
  const cluster = await connectCluster(config.cluster, {
    startOptions: {
      workers: EMBEDDED_WORKERS,
      pace: paceAtSpeed(config.embeddedSpeed),
      ...(maxPodsPerNode ? { maxPodsPerNode } : {}),
      ...deps.embedded?.startOptions,
    },
  });
  try {
    const webhooks = new Webhooks({
      db,
      dataDir: config.dataDir,
      allowPrivate: config.webhooksAllowPrivate,
      now,
      userAgent: `kubelab-webhooks (+${config.publicUrl})`,
      onError,
      ...deps.webhooks,
    });
    const environments = new EnvironmentService({
      db,
      cluster: cluster.client,
      exercise: (id) => catalog.byId(id),
      now,
      ttlMs: config.namespaceTtlMs,
      ttlFor: (userId, exerciseId) => db.classes.environmentTtlFor(userId, exerciseId),
      maxEnvironments: config.maxEnvironments,
      maxEnvironmentsPerLearner: config.maxEnvironmentsPerLearner,
      onExpired: (env) => webhooks.environmentExpired(env),
      ...(config.learnerApiServer ? { learnerServer: { ...cluster.client.server, url: config.learnerApiServer } } : {}),
    });
    const grading = new GradingService({
      db,
      catalog,
      grader: new GradingEngine({ client: cluster.client, kubeconfig: cluster.kubeconfig, ...(deps.timing ? { timing: deps.timing } : {}) }),
      concurrency: config.gradingConcurrency,
      // A grade needs a ready environment: one still provisioning or failed is a 409, not a verdict.
      environment: (userId, exerciseId) => {
        const env = environments.get(userId, exerciseId);
        if (env.status !== 'ready') throw new EnvironmentNotReadyError(env.status, env.error);
        return env;
      },
      onFinished: (attempt) => webhooks.attemptFinished(attempt),
      onFailure: (attemptId, error) => onError(`grading attempt ${attemptId} failed: ${error instanceof Error ? error.message : String(error)}`, error),
    });
    const running = await startEnvironments(db, environments, {
      now,
      onError: (message) => onError(message),
      ...(deps.reaperScheduler ? { scheduler: deps.reaperScheduler } : {}),
    });
    // Whatever the last process left in the outbox goes out now.
    webhooks.start();
    return {
      cluster,
      environments,
      grading,
      webhooks,
      reconciled: running.reconciled,
      async close() {
        await running.reaper.stop();
        await grading.drain();
        // After the grades: their events are in the outbox; unsent ones wait for the next start.
        await webhooks.close();
        await cluster.close();
      },
    };
  } catch (error) {
    await cluster.close();
    throw error;
  }
}
