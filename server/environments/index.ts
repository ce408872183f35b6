// Wiring for the server: build the environment service from the app's config, start-up
// reconciliation, and the reaper loop. `kubelab serve` calls startEnvironments once the
// cluster is connected; buildApp registers environmentRoutes with the same service.
import type { Config } from '../config/config.ts';
import type { ClusterClient } from '../cluster/types.ts';
import type { Db } from '../db/index.ts';
import { reconcile, type ReconcileReport } from './reconcile.ts';
import { startReaper, type Reaper, type Scheduler } from './reaper.ts';
import { EnvironmentService, type ExerciseSetup } from './service.ts';

export { EnvironmentService } from './service.ts';
export { reconcile } from './reconcile.ts';
export { startReaper } from './reaper.ts';

export interface EnvironmentDeps {
  config: Pick<Config, 'namespaceTtlMs' | 'maxEnvironments' | 'maxEnvironmentsPerLearner'>;
  db: Db;
  cluster: ClusterClient;
  /** The catalog's byId fits. */
  exercise: (id: string) => ExerciseSetup | undefined;
  now?: () => number;
}

export function createEnvironmentService(deps: EnvironmentDeps): EnvironmentService {
  return new EnvironmentService({
    db: deps.db,
    cluster: deps.cluster,
    exercise: deps.exercise,
    now: deps.now ?? Date.now,
    ttlMs: deps.config.namespaceTtlMs,
    ttlFor: (userId, exerciseId) => deps.db.classes.environmentTtlFor(userId, exerciseId),
    maxEnvironments: deps.config.maxEnvironments,
    maxEnvironmentsPerLearner: deps.config.maxEnvironmentsPerLearner,
  });
}

export interface RunningEnvironments {
  reconciled: ReconcileReport;
  reaper: Reaper;
}

/** Reconcile SQLite with the cluster, then reap expired environments every minute. */
export async function startEnvironments(
  db: Db,
  service: EnvironmentService,
  options: { now?: () => number; intervalMs?: number; scheduler?: Scheduler; onError?: (message: string) => void } = {},
): Promise<RunningEnvironments> {
  const reconciled = await reconcile(db, service);
  const reaper = startReaper({ ...options, service, now: options.now ?? Date.now });
  return { reconciled, reaper };
}
