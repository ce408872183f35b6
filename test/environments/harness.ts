// One embedded cluster + one real SQLite file + the environment service, as the server
// wires them. The server's clock is a plain variable the test moves (expiry, reaper);
// the cluster keeps its fast real-time pace so controllers run on their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { loadCatalog, type Catalog } from '../../server/catalog/loader.ts';
import { KubeClusterClient } from '../../server/cluster/client.ts';
import { kubeConfigFromString } from '../../server/cluster/kubeconfig.ts';
import type { ClusterClient } from '../../server/cluster/types.ts';
import { databaseFile, openDatabase, type Db } from '../../server/db/database.ts';
import { EnvironmentService, type EnvironmentServiceOptions } from '../../server/environments/service.ts';
import { DEFAULT_EXERCISES_DIR } from '../../server/catalog/loader.ts';

export const START = Date.UTC(2026, 0, 10, 9, 0);
export const TTL_MS = 2 * 3600_000;

export interface Harness {
  sim: RunningCluster;
  admin: ClusterClient;
  db: Db;
  catalog: Catalog;
  dir: string;
  clock: { now: number };
  service(overrides?: Partial<EnvironmentServiceOptions>): EnvironmentService;
  learner(name: string): number;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-env-'));
  const sim = await startCluster({ seed: 7 });
  const clock = { now: START };
  const db = openDatabase(databaseFile(dir), { now: () => clock.now });
  const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
  const admin = new KubeClusterClient(kubeConfigFromString(sim.kubeconfig));
  return {
    sim,
    admin,
    db,
    catalog,
    dir,
    clock,
    service: (overrides = {}) =>
      new EnvironmentService({
        db,
        cluster: admin,
        exercise: (id) => catalog.byId(id),
        now: () => clock.now,
        ttlMs: TTL_MS,
        maxEnvironments: 100,
        maxEnvironmentsPerLearner: 3,
        ...overrides,
      }),
    learner: (name) => db.users.create({ externalKey: `local:${name}`, displayName: name, role: 'learner' }).id,
    close: async () => {
      db.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll a condition on the cluster, bounded; fails with the last observation. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, polls = 200): Promise<T> {
  for (let i = 0; i < polls; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
