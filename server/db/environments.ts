import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';

export const EnvironmentStatus = z.enum(['provisioning', 'ready', 'failed', 'deleting', 'deleted']);
export type EnvironmentStatus = z.infer<typeof EnvironmentStatus>;

/** A row of `environments`, exactly as stored. */
export const EnvironmentRow = z.object({
  id,
  user_id: id,
  exercise_id: z.string().min(1),
  namespace: z.string().min(1),
  /** The cluster pool member the namespace lives on. */
  cluster: z.string().min(1),
  status: EnvironmentStatus,
  error: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  expires_at: timestamp,
});

const parseEnvironment = EnvironmentRow.transform((r) => ({
  id: r.id,
  userId: r.user_id,
  exerciseId: r.exercise_id,
  namespace: r.namespace,
  cluster: r.cluster,
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  expiresAt: r.expires_at,
}));
export type Environment = z.output<typeof parseEnvironment>;

export interface NewEnvironment {
  readonly userId: number;
  readonly exerciseId: string;
  readonly namespace: string;
  readonly expiresAt: number;
  /** The pool member; default 'default' (the pool of one). */
  readonly cluster?: string;
}

/** The member name of a pool of one, and of every environment made before pools. */
export const DEFAULT_CLUSTER = 'default';

// Environments that still hold (or may hold) a namespace count against quotas.
const LIVE = `status IN ('provisioning', 'ready', 'failed', 'deleting')`;

export class EnvironmentsRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byNamespace: Database.Statement;
  readonly #currentFor: Database.Statement;
  readonly #liveForUser: Database.Statement;
  readonly #live: Database.Statement;
  readonly #countLive: Database.Statement;
  readonly #countLiveForUser: Database.Statement;
  readonly #expired: Database.Statement;
  readonly #setStatus: Database.Statement;
  readonly #extend: Database.Statement;
  readonly #countLiveByCluster: Database.Statement;
  readonly #liveOnCluster: Database.Statement;
  readonly #latestClusterOf: Database.Statement;
  readonly #moveTo: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO environments (user_id, exercise_id, namespace, cluster, status, created_at, updated_at, expires_at)
       VALUES (@userId, @exerciseId, @namespace, @cluster, 'provisioning', @now, @now, @expiresAt) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM environments WHERE id = ?');
    this.#byNamespace = sqlite.prepare('SELECT * FROM environments WHERE namespace = ?');
    this.#currentFor = sqlite.prepare(
      `SELECT * FROM environments WHERE user_id = ? AND exercise_id = ? AND status != 'deleted' ORDER BY id DESC LIMIT 1`,
    );
    this.#liveForUser = sqlite.prepare(`SELECT * FROM environments WHERE user_id = ? AND ${LIVE} ORDER BY id`);
    this.#live = sqlite.prepare(`SELECT * FROM environments WHERE ${LIVE} ORDER BY id`);
    this.#countLive = sqlite.prepare(`SELECT count(*) AS n FROM environments WHERE ${LIVE}`);
    this.#countLiveForUser = sqlite.prepare(`SELECT count(*) AS n FROM environments WHERE user_id = ? AND ${LIVE}`);
    this.#expired = sqlite.prepare(
      `SELECT * FROM environments WHERE status IN ('provisioning', 'ready', 'failed') AND expires_at <= ? ORDER BY expires_at`,
    );
    this.#setStatus = sqlite.prepare(
      'UPDATE environments SET status = @status, error = @error, updated_at = @now WHERE id = @id RETURNING *',
    );
    this.#extend = sqlite.prepare(
      'UPDATE environments SET expires_at = @expiresAt, updated_at = @now WHERE id = @id RETURNING *',
    );
    this.#countLiveByCluster = sqlite.prepare(`SELECT cluster, count(*) AS n FROM environments WHERE ${LIVE} GROUP BY cluster`);
    this.#liveOnCluster = sqlite.prepare(`SELECT * FROM environments WHERE cluster = ? AND ${LIVE} ORDER BY id`);
    this.#moveTo = sqlite.prepare('UPDATE environments SET cluster = @cluster, updated_at = @now WHERE id = @id RETURNING *');
    this.#latestClusterOf = sqlite.prepare('SELECT cluster FROM environments WHERE user_id = ? ORDER BY id DESC LIMIT 1');
  }

  /** Live environments per pool member (placement, status). */
  countLiveByCluster(): Map<string, number> {
    return new Map(ClusterCountRow.array().parse(this.#countLiveByCluster.all()).map((r) => [r.cluster, r.n]));
  }

  /** Every not-deleted environment on one member (reconcile, drain). */
  listLiveOnCluster(cluster: string): Environment[] {
    return this.#liveOnCluster.all(cluster).map((row) => parseEnvironment.parse(row));
  }

  /** The member of the learner's most recent environment, deleted or not: later ones stay there when it has room. */
  latestClusterOf(userId: number): string | undefined {
    const row = this.#latestClusterOf.get(userId);
    return row === undefined ? undefined : z.object({ cluster: z.string() }).parse(row).cluster;
  }

  create(env: NewEnvironment): Environment {
    return parseEnvironment.parse(this.#insert.get({ ...env, cluster: env.cluster ?? DEFAULT_CLUSTER, now: this.#now() }));
  }

  select(environmentId: number): Environment {
    const env = this.selectOptional(environmentId);
    if (env === undefined) throw new NotFoundError('environment', environmentId);
    return env;
  }

  selectOptional(environmentId: number): Environment | undefined {
    const row = this.#byId.get(environmentId);
    return row === undefined ? undefined : parseEnvironment.parse(row);
  }

  selectOptionalByNamespace(namespace: string): Environment | undefined {
    const row = this.#byNamespace.get(namespace);
    return row === undefined ? undefined : parseEnvironment.parse(row);
  }

  /** The user's not-deleted environment for an exercise, whatever its namespace is called. */
  selectOptionalCurrent(userId: number, exerciseId: string): Environment | undefined {
    const row = this.#currentFor.get(userId, exerciseId);
    return row === undefined ? undefined : parseEnvironment.parse(row);
  }

  /** The user's environments that are not deleted yet. */
  listLiveForUser(userId: number): Environment[] {
    return this.#liveForUser.all(userId).map((row) => parseEnvironment.parse(row));
  }

  /** Every environment not deleted yet (start-up reconciliation against the cluster). */
  listLive(): Environment[] {
    return this.#live.all().map((row) => parseEnvironment.parse(row));
  }

  countLive(): number {
    return CountRow.parse(this.#countLive.get()).n;
  }

  countLiveForUser(userId: number): number {
    return CountRow.parse(this.#countLiveForUser.get(userId)).n;
  }

  /** Environments whose time is up at `at` and that the reaper has not started on. */
  listExpired(at: number): Environment[] {
    return this.#expired.all(at).map((row) => parseEnvironment.parse(row));
  }

  /** Moves to `status`; `error` is kept only with `failed` and cleared otherwise. */
  setStatus(environmentId: number, status: EnvironmentStatus, error?: string): Environment {
    const row = this.#setStatus.get({
      id: environmentId,
      status,
      error: status === 'failed' ? (error ?? 'unknown error') : null,
      now: this.#now(),
    });
    if (row === undefined) throw new NotFoundError('environment', environmentId);
    return parseEnvironment.parse(row);
  }

  /** Re-place a row whose namespace is gone (recreated after delete) on another member. */
  moveTo(environmentId: number, cluster: string): Environment {
    const row = this.#moveTo.get({ id: environmentId, cluster, now: this.#now() });
    if (row === undefined) throw new NotFoundError('environment', environmentId);
    return parseEnvironment.parse(row);
  }

  extend(environmentId: number, expiresAt: number): Environment {
    const row = this.#extend.get({ id: environmentId, expiresAt, now: this.#now() });
    if (row === undefined) throw new NotFoundError('environment', environmentId);
    return parseEnvironment.parse(row);
  }
}

const CountRow = z.object({ n: z.number().int().nonnegative() });
const ClusterCountRow = z.object({ cluster: z.string(), n: z.number().int().nonnegative() });
