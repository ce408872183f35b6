// What the cluster pool keeps in SQLite: cordoned members, and warm environments
// (namespaces provisioned ahead for an exercise, not yet owned by a learner).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from './columns.ts';

export const WarmStatus = z.enum(['provisioning', 'ready', 'failed']);
export type WarmStatus = z.infer<typeof WarmStatus>;

/** A row of `warm_environments`, exactly as stored. */
export const WarmEnvironmentRow = z.object({
  id,
  exercise_id: z.string().min(1),
  cluster: z.string().min(1),
  namespace: z.string().min(1),
  status: WarmStatus,
  error: z.string().nullable(),
  created_at: timestamp,
  expires_at: timestamp,
});

/** A row of `cluster_cordons`. */
export const ClusterCordonRow = z.object({ cluster: z.string().min(1), cordoned_at: timestamp });

const WarmRow = WarmEnvironmentRow.transform((r) => ({
    id: r.id,
    exerciseId: r.exercise_id,
    cluster: r.cluster,
    namespace: r.namespace,
    status: r.status,
    error: r.error,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
}));
export type WarmEnvironment = z.output<typeof WarmRow>;

const CountRow = z.object({ cluster: z.string(), n: z.number().int().nonnegative() });
const ExerciseCountRow = z.object({ exercise_id: z.string(), n: z.number().int().nonnegative() });

export class ClusterPoolRepo {
  readonly #now: () => number;
  readonly #cordon: Database.Statement;
  readonly #uncordon: Database.Statement;
  readonly #cordoned: Database.Statement;
  readonly #insertWarm: Database.Statement;
  readonly #setWarm: Database.Statement;
  readonly #deleteWarm: Database.Statement;
  readonly #warmById: Database.Statement;
  readonly #readyWarm: Database.Statement;
  readonly #warmByCluster: Database.Statement;
  readonly #countWarmByCluster: Database.Statement;
  readonly #countWarmByExercise: Database.Statement;
  readonly #allWarm: Database.Statement;
  readonly #expiredWarm: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#cordon = sqlite.prepare('INSERT INTO cluster_cordons (cluster, cordoned_at) VALUES (?, ?) ON CONFLICT (cluster) DO NOTHING');
    this.#uncordon = sqlite.prepare('DELETE FROM cluster_cordons WHERE cluster = ?');
    this.#cordoned = sqlite.prepare('SELECT cluster FROM cluster_cordons ORDER BY cluster');
    this.#insertWarm = sqlite.prepare(
      `INSERT INTO warm_environments (exercise_id, cluster, namespace, status, created_at, expires_at)
       VALUES (@exerciseId, @cluster, @namespace, 'provisioning', @now, @expiresAt) RETURNING *`,
    );
    this.#setWarm = sqlite.prepare('UPDATE warm_environments SET status = @status, error = @error WHERE id = @id RETURNING *');
    this.#deleteWarm = sqlite.prepare('DELETE FROM warm_environments WHERE id = ?');
    this.#warmById = sqlite.prepare('SELECT * FROM warm_environments WHERE id = ?');
    this.#readyWarm = sqlite.prepare(`SELECT * FROM warm_environments WHERE exercise_id = ? AND cluster = ? AND status = 'ready' AND expires_at > ? ORDER BY id LIMIT 1`);
    this.#warmByCluster = sqlite.prepare('SELECT * FROM warm_environments WHERE cluster = ? ORDER BY id');
    this.#countWarmByCluster = sqlite.prepare('SELECT cluster, count(*) AS n FROM warm_environments GROUP BY cluster');
    this.#countWarmByExercise = sqlite.prepare(`SELECT exercise_id, count(*) AS n FROM warm_environments WHERE status != 'failed' GROUP BY exercise_id`);
    this.#allWarm = sqlite.prepare('SELECT * FROM warm_environments ORDER BY id');
    this.#expiredWarm = sqlite.prepare(`SELECT * FROM warm_environments WHERE expires_at <= ? OR status = 'failed' ORDER BY id`);
  }

  cordon(cluster: string): void {
    this.#cordon.run(cluster, this.#now());
  }

  uncordon(cluster: string): void {
    this.#uncordon.run(cluster);
  }

  cordoned(): Set<string> {
    return new Set(z.object({ cluster: z.string() }).array().parse(this.#cordoned.all()).map((r) => r.cluster));
  }

  addWarm(warm: { exerciseId: string; cluster: string; namespace: string; expiresAt: number }): WarmEnvironment {
    return WarmRow.parse(this.#insertWarm.get({ ...warm, now: this.#now() }));
  }

  setWarmStatus(warmId: number, status: WarmStatus, error?: string): WarmEnvironment | undefined {
    const row = this.#setWarm.get({ id: warmId, status, error: status === 'failed' ? (error ?? 'unknown error') : null });
    return row === undefined ? undefined : WarmRow.parse(row);
  }

  /** Removes the row; false when someone else (a claim, the reaper) already did. */
  removeWarm(warmId: number): boolean {
    return this.#deleteWarm.run(warmId).changes === 1;
  }

  selectWarm(warmId: number): WarmEnvironment | undefined {
    const row = this.#warmById.get(warmId);
    return row === undefined ? undefined : WarmRow.parse(row);
  }

  /** The oldest ready, unexpired warm environment for the exercise on that member. */
  readyWarm(exerciseId: string, cluster: string, at: number): WarmEnvironment | undefined {
    const row = this.#readyWarm.get(exerciseId, cluster, at);
    return row === undefined ? undefined : WarmRow.parse(row);
  }

  listWarmOnCluster(cluster: string): WarmEnvironment[] {
    return this.#warmByCluster.all(cluster).map((row) => WarmRow.parse(row));
  }

  listWarm(): WarmEnvironment[] {
    return this.#allWarm.all().map((row) => WarmRow.parse(row));
  }

  /** Warm environments past their time, or failed: the reaper deletes them. */
  listWarmToReap(at: number): WarmEnvironment[] {
    return this.#expiredWarm.all(at).map((row) => WarmRow.parse(row));
  }

  /** Warm environments per member: they hold a namespace, so they count against its capacity. */
  countWarmByCluster(): Map<string, number> {
    return new Map(CountRow.array().parse(this.#countWarmByCluster.all()).map((r) => [r.cluster, r.n]));
  }

  /** Provisioning or ready warm environments per exercise (the refill's target). */
  countWarmByExercise(): Map<string, number> {
    return new Map(ExerciseCountRow.array().parse(this.#countWarmByExercise.all()).map((r) => [r.exercise_id, r.n]));
  }
}
