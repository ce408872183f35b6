// Placement and health bookkeeping of the pool, against a real SQLite file. The members'
// clients are real ones aimed at a closed port: placement never calls them, and the
// probe's failures are real connection refusals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFile, openDatabase, type Db } from '../../db/database.ts';
import { KubeClusterClient } from '../client.ts';
import { kubeConfigFromString } from '../kubeconfig.ts';
import { ClusterPool, type PoolMember } from './pool.ts';

const CLOSED = 'http://127.0.0.1:1';
const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${CLOSED}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-pool-unit-'));
  db = openDatabase(databaseFile(dir), { now: () => 1_700_000_000_000 });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function member(name: string, capacity: number, weight = 1): PoolMember {
  const client = new KubeClusterClient(kubeConfigFromString(kubeconfig));
  return { name, mode: 'kubeconfig', capacity, weight, client, kubeconfig, learnerServer: client.server };
}

/** Place `n` learners (each its own, so no stickiness) and record them as environments. */
function placeMany(pool: ClusterPool, n: number, firstUser = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const user = db.users.create({ externalKey: `local:u${firstUser + i}`, displayName: `u${i}`, role: 'learner' });
    const chosen = db.transaction(() => {
      const m = pool.place(db.environments.latestClusterOf(user.id));
      db.environments.create({ userId: user.id, exerciseId: 'x', namespace: `ns-${firstUser + i}`, expiresAt: 2_000_000_000_000, cluster: m.name });
      return m.name;
    });
    counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
  }
  return counts;
}

describe('ClusterPool placement', () => {
  it('fills members in proportion to capacity (within 1 percentage point after every 60) and refuses when all are full', () => {
    const pool = new ClusterPool([member('a', 300), member('b', 200), member('c', 100)], { db, now: () => 0 });
    const shares = { a: 0.5, b: 1 / 3, c: 1 / 6 };
    for (let round = 0; round < 10; round++) {
      placeMany(pool, 60, round * 60);
      const used = pool.status();
      const placed = used.reduce((sum, m) => sum + m.used, 0);
      for (const m of used) expect(Math.abs(m.used / placed - shares[m.name as keyof typeof shares])).toBeLessThan(0.01);
    }
    expect(pool.status().map((m) => m.used)).toEqual([300, 200, 100]);
    expect(() => placeMany(pool, 1, 600)).toThrow(/every cluster is at capacity/);
  });

  it('weights tilt the choice, and a learner stays on their member while it has room', () => {
    const pool = new ClusterPool([member('a', 100, 1), member('b', 100, 3)], { db, now: () => 0 });
    const counts = placeMany(pool, 40);
    // Equal capacity, weight 3 on b: b is chosen until its free share × 3 drops below a's.
    expect(counts.get('b')).toBeGreaterThan(30);
    const ann = db.users.create({ externalKey: 'local:ann', displayName: 'ann', role: 'learner' });
    db.environments.create({ userId: ann.id, exerciseId: 'x', namespace: 'ann-1', expiresAt: 2_000_000_000_000, cluster: 'a' });
    expect(pool.place(db.environments.latestClusterOf(ann.id)).name).toBe('a');
  });

  it('skips cordoned members, and members that failed two probes in a row until one succeeds', async () => {
    const changes: string[] = [];
    const pool = new ClusterPool([member('a', 10), member('b', 10)], { db, now: () => 0, onHealthChange: (m, healthy) => changes.push(`${m}:${healthy}`) });
    pool.cordon('a');
    expect(pool.place().name).toBe('b');
    pool.uncordon('a');
    expect(pool.place().name).toBe('a');
    expect(() => pool.cordon('zzz')).toThrow(/no cluster named "zzz"/);

    // Both members point at a closed port: real refusals.
    await pool.probe();
    expect(pool.isHealthy('a')).toBe(true);
    await pool.probe();
    expect([pool.isHealthy('a'), pool.isHealthy('b')]).toEqual([false, false]);
    expect(changes).toEqual(['a:false', 'b:false']);
    expect(() => pool.place()).toThrow(/every cluster is at capacity/);
    expect(() => pool.require('a')).toThrow(/the cluster your lab runs on is not answering; your work is kept/);
    expect(pool.status().map((s) => [s.name, s.healthy, s.lastError !== null])).toEqual([['a', false, true], ['b', false, true]]);
  });
});
