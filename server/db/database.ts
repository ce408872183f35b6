// One handle on kubelab's SQLite file: pragmas, migrations, and the repositories.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiKeysRepo } from './api-keys.ts';
import { AttemptsRepo } from './attempts.ts';
import { AuditRepo } from './audit.ts';
import { CheckResultsRepo } from './checkResults.ts';
import { ClassesRepo } from './classes.ts';
import { ClassResultsRepo } from './class-results.ts';
import { ClusterPoolRepo } from './cluster-pool.ts';
import { EnvironmentsRepo } from './environments.ts';
import { IdempotencyRepo } from './idempotency.ts';
import { InstallationRepo } from './installation.ts';
import { migrate, readMigrations } from './migrate.ts';
import { SessionsRepo } from './sessions.ts';
import { defaultRandomBytes, TokensRepo } from './tokens.ts';
import { UsersRepo } from './users.ts';

export interface OpenDatabaseOptions {
  /** Clock for every timestamp written (epoch ms). Default: Date.now. */
  readonly now?: () => number;
  /** Source of token secrets. Default: crypto.randomBytes. */
  readonly randomBytes?: (size: number) => Buffer;
  /** How long a writer waits for another's lock before SQLITE_BUSY. Default 5000. */
  readonly busyTimeoutMs?: number;
}

export interface Db {
  readonly users: UsersRepo;
  readonly tokens: TokensRepo;
  readonly environments: EnvironmentsRepo;
  readonly attempts: AttemptsRepo;
  readonly checkResults: CheckResultsRepo;
  readonly audit: AuditRepo;
  readonly sessions: SessionsRepo;
  readonly classes: ClassesRepo;
  readonly classResults: ClassResultsRepo;
  readonly installation: InstallationRepo;
  readonly apiKeys: ApiKeysRepo;
  readonly idempotency: IdempotencyRepo;
  /** Cluster pool state: cordoned members and warm environments. */
  readonly clusterPool: ClusterPoolRepo;
  /** Runs `fn` in one IMMEDIATE transaction (all or nothing). */
  transaction<T>(fn: () => T): T;
  /** true when the database answers a query (readiness). */
  ping(): boolean;
  /** The raw connection, for migrations tests and cross-table queries in `server/db`. */
  readonly sqlite: Database.Database;
  readonly file: string;
  close(): void;
}

/** Opens (creating if needed) and migrates the database in `file`. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const now = options.now ?? Date.now;
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  try {
    // WAL lets the dashboard read while a grade writes; NORMAL sync is durable at
    // each checkpoint and safe against corruption in WAL mode.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    migrate(sqlite, readMigrations(), now);
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const users = new UsersRepo(sqlite, now);
  const randomBytes = options.randomBytes ?? defaultRandomBytes;
  const ping = sqlite.prepare('SELECT 1 AS ok');
  return {
    users,
    tokens: new TokensRepo(sqlite, { now, randomBytes, users }),
    environments: new EnvironmentsRepo(sqlite, now),
    attempts: new AttemptsRepo(sqlite, now),
    checkResults: new CheckResultsRepo(sqlite, now),
    audit: new AuditRepo(sqlite, now),
    sessions: new SessionsRepo(sqlite, { now, randomBytes, users }),
    classes: new ClassesRepo(sqlite, { now, randomBytes }),
    classResults: new ClassResultsRepo(sqlite),
    installation: new InstallationRepo(sqlite),
    apiKeys: new ApiKeysRepo(sqlite, { now, randomBytes }),
    idempotency: new IdempotencyRepo(sqlite, now),
    clusterPool: new ClusterPoolRepo(sqlite, now),
    transaction: (fn) => sqlite.transaction(fn).immediate(),
    ping: () => sqlite.open && ping.get() !== undefined,
    sqlite,
    file,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** Where the database lives inside KUBELAB_DATA_DIR. */
export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'kubelab.db');
}

/** The embedded cluster's own SQLite file (its etcd), beside kubelab's database. */
export function embeddedStateFile(dataDir: string, member = 'default'): string {
  // The pool of one keeps the name it had before pools; other embedded members get their own file.
  return path.join(dataDir, member === 'default' ? 'embedded-cluster.db' : `embedded-cluster-${member}.db`);
}
