// `kubelab clusters [list|cordon|uncordon]` against a real data directory and pool
// file: what it prints, that a cordon is stored where placement reads it, and refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.ts';
import { databaseFile, openDatabase } from '../../server/db/database.ts';
import { cleanEnv, REPO } from './run.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(): { data: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-clusters-'));
  temps.push(dir);
  const file = path.join(dir, 'clusters.yaml');
  writeFileSync(file, 'clusters:\n  - { name: east, embedded: true, capacity: 100 }\n  - { name: west, kubeconfig: kc.yaml, capacity: 50, weight: 2 }\n');
  return { data: path.join(dir, 'data'), env: { KUBELAB_CLUSTERS: file, KUBELAB_DATA_DIR: path.join(dir, 'data') } };
}

async function run(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; }, env: cleanEnv(env), cwd: REPO });
  return { exitCode, stdout, stderr };
}

describe('kubelab clusters', () => {
  it('lists the pool with usage, and cordons / uncordons into the database placement reads', async () => {
    const { data, env } = setup();
    const db = openDatabase(databaseFile(data));
    const user = db.users.create({ externalKey: 'local:ann', displayName: 'ann', role: 'learner' });
    db.environments.create({ userId: user.id, exerciseId: 'clusterip-basics', namespace: 'kl-a', expiresAt: Date.now() + 60_000, cluster: 'west' });
    db.clusterPool.addWarm({ exerciseId: 'clusterip-basics', cluster: 'east', namespace: 'kl-warm-a', expiresAt: Date.now() + 60_000 });
    db.close();

    expect(await run(['clusters', 'cordon', 'west'], env)).toMatchObject({ exitCode: 0, stderr: 'cluster west cordoned: no new environments go there\n' });
    const listed = await run(['clusters'], env);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout.split('\n').map((l) => l.split(/\s+/))).toEqual([
      ['NAME', 'MODE', 'CAPACITY', 'WEIGHT', 'USED', 'WARM', 'CORDONED'],
      ['east', 'embedded', '100', '1', '1', '1', 'no'],
      ['west', 'kubeconfig', '50', '2', '1', '0', 'yes'],
      [''],
    ]);
    const check = openDatabase(databaseFile(data));
    expect([...check.clusterPool.cordoned()]).toEqual(['west']);
    check.close();

    expect(await run(['clusters', 'uncordon', 'west'], env)).toMatchObject({ exitCode: 0 });
    expect((await run(['clusters', 'list'], env)).stdout).toMatch(/west\s+kubeconfig\s+50\s+2\s+1\s+0\s+no/);
  });

  it('refuses unknown members and bad names, naming them', async () => {
    const { env } = setup();
    expect(await run(['clusters', 'cordon', 'south'], env)).toMatchObject({ exitCode: 1, stderr: 'kubelab: no cluster named "south" in the pool (east, west)\n' });
    const bad = await run(['clusters', 'cordon', 'Not_A_Name'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('clusters cordon: "Not_A_Name" is not a cluster name');
    expect((await run(['clusters', 'drain', 'east'], env)).stderr).toContain('clusters: unknown subcommand "drain"');
  });
});
