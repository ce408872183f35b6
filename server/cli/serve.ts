// `kubelab serve`: the production entry. Everything about listening, signals and
// shutdown lives here; the app itself is built by buildApp like in every test.
import { buildApp } from '../app.ts';
import { loadCatalog, type Catalog } from '../catalog/loader.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { ClusterUnavailableError } from '../cluster/connect.ts';
import { databaseFile, embeddedStateFile, openDatabase } from '../db/database.ts';
import { startPlatform, type Platform } from '../platform.ts';
import { DataDirBusyError, lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { assertCanListen } from './port-check.ts';
import { prepareDatabase } from './startup.ts';

/** How long in-flight requests get to finish after SIGTERM before we give up. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  /** Resolves with the signal's name when the server should stop. */
  readonly stopSignal?: Promise<string>;
}

export async function serve(io: Io, options: ServeOptions = {}): Promise<number> {
  const config = loadConfig(io.env, { cwd: io.cwd });
  const catalog = await loadCatalog(config.exercisesDir);
  // Nothing that changes state runs before these two: the data directory is ours alone,
  // and the port is free. A second server must leave the first one's world untouched.
  const lock = takeDataDir(config.dataDir);
  try {
    await assertCanListen(config.host, config.port);
  } catch (error) {
    lock.release();
    throw listenError(error, `${config.host}:${config.port}`);
  }
  try {
    return await serveLocked(config, catalog, lock, options);
  } finally {
    lock.release();
  }
}

function takeDataDir(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirBusyError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
}

async function serveLocked(config: Config, catalog: Catalog, lock: DataDirLock, options: ServeOptions): Promise<number> {
  const db = openDatabase(databaseFile(config.dataDir));
  let platform: Platform | undefined;
  try {
    // Attempts a dead process left running are marked interrupted before the grading queue starts.
    const report = prepareDatabase(db, config);
    platform = await startPlatform({
      config,
      db,
      catalog,
      // The embedded cluster keeps its state beside the database: a restart brings back
      // every learner's namespace, and the kubeconfigs they downloaded keep working.
      // Each embedded pool member has its own state file.
      embeddedFor: (member) => ({ startOptions: { stateFile: embeddedStateFile(config.dataDir, member) } }),
      onError: (message) => process.stderr.write(`${message}\n`),
    }).catch((error: unknown) => {
      throw error instanceof ClusterUnavailableError ? new CliError(error.message, 1, { cause: error }) : error;
    });
    const app = await buildApp({ config, db, catalog, platform });
    app.log.info(
      {
        ...report,
        exercises: catalog.exercises.length,
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        cluster: platform.cluster.mode,
        apiServer: platform.cluster.client.server.url,
        reconciled: platform.reconciled,
        clusters: platform.pool.members.map((m) => `${m.name} (${m.mode}, ${m.capacity})`),
      },
      'kubelab starting',
    );

    const stop = options.stopSignal ?? onceSignalled(['SIGINT', 'SIGTERM']);
    try {
      await app.listen({
        host: config.host,
        port: config.port,
        // Fastify logs one line per bound address; make it the ready line.
        listenTextResolver: (address) => `kubelab listening on ${address}`,
      });
    } catch (error) {
      await app.close();
      throw listenError(error, `${config.host}:${config.port}`);
    }
    const bound = app.server.address();
    if (bound !== null && typeof bound === 'object') lock.setPort(bound.port);

    const signal = await stop;
    app.log.info({ signal }, 'kubelab shutting down');
    const closed = await withDeadline(app.close(), SHUTDOWN_GRACE_MS);
    if (!closed) app.log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still open after the grace period');
    return closed ? 0 : 1;
  } finally {
    await platform?.close();
    db.close();
  }
}

function onceSignalled(signals: readonly NodeJS.Signals[]): Promise<string> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, handler);
      resolve(signal);
    };
    for (const s of signals) process.on(s, handler);
  });
}

async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// The usual reasons a port cannot be bound deserve a sentence, not a stack.
function listenError(error: unknown, where: string): unknown {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'EADDRINUSE') return new CliError(`cannot listen on ${where}: the port is in use (set PORT)`, 1, { cause: error });
  if (code === 'EACCES') return new CliError(`cannot listen on ${where}: permission denied (set PORT above 1023)`, 1, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new CliError(`cannot listen on ${where}: no such local address (set HOST)`, 1, { cause: error });
  }
  return error;
}
