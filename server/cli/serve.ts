// `kubelab serve`: the production entry. Everything about listening, signals and
// shutdown lives here; the app itself is built by buildApp like in every test.
//
// The port is bound and the ready line printed first, with as little loaded as
// possible; the catalog, the database, the cluster and the app (most of the start-up:
// big modules, YAML, routes) come after, imported on demand. Until then the early server
// answers the probes (/readyz: not ready) and holds every other request for the app.
import type { Catalog } from '../catalog/loader.ts';
import { loadConfig, type Config } from '../config/config.ts';
import type { Platform } from '../platform.ts';
import type { PoolMemberConfig } from '../cluster/pool/config.ts';
import { listenEarly, type EarlyServer } from '../http/early/early-server.ts';
import { infoLine } from '../http/early/log-line.ts';
import { DataDirBusyError, lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';

/** How long in-flight requests get to finish after SIGTERM before we give up. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  /** Resolves with the signal's name when the server should stop. */
  readonly stopSignal?: Promise<string>;
}

export async function serve(io: Io, options: ServeOptions = {}): Promise<number> {
  const config = loadConfig(io.env, { cwd: io.cwd });
  // A bad pool file is a configuration error like a bad variable: told before anything is
  // bound or locked. Read once, here; the platform takes the members from us.
  const members = config.clustersFile === undefined ? undefined : (await import('../cluster/pool/config.ts')).poolMembers(config);
  // Nothing that changes state runs before these two: the data directory is ours alone,
  // and the port is bound. A second server must leave the first one's world untouched.
  const lock = takeDataDir(config.dataDir);
  let early: EarlyServer;
  try {
    early = await listenEarly({ host: config.host, port: config.port });
  } catch (error) {
    lock.release();
    throw listenError(error, `${config.host}:${config.port}`);
  }
  lock.setPort(early.port);
  const line = infoLine(config.logLevel, `kubelab listening on ${urlOf(config.host, early.port)}`);
  if (line !== undefined) process.stdout.write(line);
  try {
    return await serveLocked(config, members, early, options);
  } finally {
    lock.release();
  }
}

// As Fastify prints it: an IPv6 host in brackets.
function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function takeDataDir(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirBusyError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
}

async function serveLocked(config: Config, members: readonly PoolMemberConfig[] | undefined, early: EarlyServer, options: ServeOptions): Promise<number> {
  let started: Awaited<ReturnType<typeof startApp>>;
  try {
    started = await startApp(config, members, early);
  } catch (error) {
    // Held requests get a 503 and the port is let go: the process is about to exit.
    early.fail();
    throw error;
  }
  const { app, platform, db } = started;
  try {
    const stop = options.stopSignal ?? onceSignalled(['SIGINT', 'SIGTERM']);
    try {
      // The port is bound already (see EarlyServer.factory); this sets up Fastify's clean close.
      await app.listen({
        host: config.host,
        port: early.port,
        listenTextResolver: (address) => `kubelab ready on ${address}`,
      });
    } catch (error) {
      await app.close();
      throw error;
    }
    early.open();

    const signal = await stop;
    app.log.info({ signal }, 'kubelab shutting down');
    const closed = await withDeadline(app.close(), SHUTDOWN_GRACE_MS);
    if (!closed) app.log.error({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still open after the grace period');
    return closed ? 0 : 1;
  } finally {
    await platform.close();
    db.close();
  }
}

/** Catalog, database, cluster and app: the heavy part, loaded only now. */
async function startApp(config: Config, members: readonly PoolMemberConfig[] | undefined, early: EarlyServer) {
  const [{ loadCatalog }, { databaseFile, embeddedStateFile, openDatabase }, { prepareDatabase }] = await Promise.all([
    import('../catalog/loader.ts'),
    import('../db/database.ts'),
    import('./startup.ts'),
  ]);
  const catalog: Catalog = await loadCatalog(config.exercisesDir);
  const db = openDatabase(databaseFile(config.dataDir));
  let platform: Platform | undefined;
  try {
    // Attempts a dead process left running are marked interrupted before the grading queue starts.
    const report = prepareDatabase(db, config);
    const [{ startPlatform }, { ClusterUnavailableError }, { buildApp }] = await Promise.all([
      import('../platform.ts'),
      import('../cluster/connect.ts'),
      import('../app.ts'),
    ]);
    platform = await startPlatform({
      config,
      db,
      catalog,
      ...(members ? { members } : {}),
      // The embedded cluster keeps its state beside the database: a restart brings back
      // every learner's namespace, and the kubeconfigs they downloaded keep working.
      // Each embedded pool member has its own state file.
      embeddedFor: (member) => ({ startOptions: { stateFile: embeddedStateFile(config.dataDir, member) } }),
      onError: (message) => process.stderr.write(`${message}\n`),
    }).catch((error: unknown) => {
      throw error instanceof ClusterUnavailableError ? new CliError(error.message, 1, { cause: error }) : error;
    });
    const app = await buildApp({ config, db, catalog, platform, serverFactory: (handler, opts) => early.factory(handler, opts) });
    const started = platform;
    app.log.info(
      {
        ...report,
        exercises: catalog.exercises.length,
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        cluster: started.cluster.mode,
        apiServer: started.cluster.client.server.url,
        reconciled: started.reconciled,
        clusters: started.pool.members.map((m) => `${m.name} (${m.mode}, ${m.capacity})`),
      },
      'kubelab starting',
    );
    return { app, platform: started, db };
  } catch (error) {
    await platform?.close();
    db.close();
    throw error;
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
