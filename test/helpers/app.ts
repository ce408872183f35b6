// Builds the app exactly as `kubelab serve` does (same loadConfig, openDatabase,
// loadCatalog, buildApp), on a temp data dir and the real exercise catalog.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/app.ts';
import { loadCatalog, type Catalog } from '../../server/catalog/loader.ts';
import { loadConfig, type Config } from '../../server/config/config.ts';
import { databaseFile, openDatabase, type Db } from '../../server/db/database.ts';
import type { LogDestination } from '../../server/http/logging.ts';
import { startPlatform, type Platform } from '../../server/platform.ts';
import { SIM_TIMING } from '../graders/harness.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  readonly platform: Platform;
  readonly dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment variables, as `kubelab serve` would read them. */
  readonly env?: Record<string, string>;
  readonly logStream?: LogDestination;
  readonly now?: () => number;
  /** A catalog other than the real one (e.g. an empty one). */
  readonly catalog?: Catalog;
  /** Seed of the embedded cluster (default 1). */
  readonly seed?: number;
  /** LTI's HTTP client and delivery ticks (tests pass a scheduler that never ticks). */
  readonly lti?: AppDeps['lti'];
}

export const FIXED_NOW = Date.UTC(2025, 0, 15, 9, 30);

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-app-'));
  // Tests run the embedded cluster at full speed (one Kubernetes second in 10 ms).
  const config = loadConfig({ LOG_LEVEL: 'silent', KUBELAB_EMBEDDED_SPEED: '100', ...options.env, KUBELAB_DATA_DIR: dataDir });
  const now = options.now ?? (() => FIXED_NOW);
  const db = openDatabase(databaseFile(config.dataDir), { now });
  let platform: Platform | undefined;
  try {
    const catalog = options.catalog ?? (await loadCatalog(config.exercisesDir));
    // The embedded cluster, as `kubelab serve` starts it; the reaper never ticks on its own here.
    platform = await startPlatform({
      config, db, catalog, now,
      embedded: { startOptions: { seed: options.seed ?? 1 } },
      timing: SIM_TIMING,
      reaperScheduler: { every: () => () => undefined },
      // Nor does the cluster pool's health probe: tests call platform.pool.probe().
      healthScheduler: { every: () => () => undefined },
    });
    const app = await buildApp({ config, db, catalog, now, platform, ...(options.logStream ? { logStream: options.logStream } : {}), ...(options.lti ? { lti: options.lti } : {}) });
    const started = platform;
    return {
      app,
      config,
      db,
      catalog,
      platform: started,
      dataDir,
      close: async () => {
        await app.close();
        await started.close();
        db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await platform?.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
