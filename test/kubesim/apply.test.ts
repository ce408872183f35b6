// `kubectl apply -f` of every exercise's solution/ and setup/ and of the lessons'
// patterns (fixtures/): created, then configured after a change, then unchanged,
// and the workloads roll out — the output a learner sees on a real cluster.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/kubesim/fixtures');

interface Source { title: string; files: string[]; rollsOut: boolean }

const exerciseSources: Source[] = readdirSync(join(root, 'exercises'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => ['setup', 'solution'].map((part) => ({ dir: join(root, 'exercises', d.name, part), title: `${d.name}/${part}` })))
  .filter((s) => existsSync(s.dir))
  .map((s) => ({ title: s.title, rollsOut: s.title !== 'readiness-endpoints/setup', files: readdirSync(s.dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(s.dir, f)) }));
const fixtureSources: Source[] = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => ({ title: `fixtures/${f}`, rollsOut: true, files: [join(fixtures, f)] }));

/** kubectl's `<resource>[.<group>]/<name>` for each document, in apply order. */
const PREFIX: Record<string, string> = { Deployment: 'deployment.apps', StatefulSet: 'statefulset.apps', Service: 'service', ConfigMap: 'configmap', Secret: 'secret' };
function objects(files: string[]): { ref: string; kind: string; name: string; docs: Record<string, unknown>[] }[] {
  return files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, unknown>).filter(Boolean).map((doc) => {
    const kind = String(doc.kind);
    const name = String((doc.metadata as { name: string }).name);
    return { ref: `${PREFIX[kind] ?? kind.toLowerCase()}/${name}`, kind, name, docs: [doc] };
  }));
}

/** The same manifests with one metadata label added (a change apply must report as "configured"). */
function changed(files: string[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { metadata: { labels?: Record<string, string> } } | null).filter((d) => d !== null);
    for (const d of docs) d.metadata.labels = { ...d.metadata.labels, 'lab.example/revision': '2' };
    writeFileSync(join(dir, file.split('/').pop()!), docs.map((d) => stringify(d)).join('---\n'));
  }
  return dir;
}

let cluster: RunningCluster;
let k: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 21 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

describe('kubectl apply of the catalog and the lessons', () => {
  it('finds every exercise solution and the setup directory', () => {
    expect(exerciseSources.filter((s) => s.title.endsWith('/solution'))).toHaveLength(8);
    expect(exerciseSources.map((s) => s.title)).toContain('readiness-endpoints/setup');
    expect(fixtureSources).toHaveLength(6);
  });

  it.each([...exerciseSources, ...fixtureSources])('$title: created, configured, unchanged, rolled out as on a real cluster', async ({ files, rollsOut }) => {
    const ns = `apply-${++n}`;
    expect((await k('create', 'namespace', ns)).exitCode).toBe(0);
    const objs = objects(files);
    const lines = (verb: string) => objs.map((o) => `${o.ref} ${verb}`).join('\n');
    const args = files.flatMap((f) => ['-f', f]);

    const created = await k('-n', ns, 'apply', ...args);
    expect(created).toMatchObject({ exitCode: 0, stderr: '' });
    expect(created.stdout).toBe(lines('created'));

    const edited = changed(files, join(k.dir, ns));
    const configured = await k('-n', ns, 'apply', '-f', edited);
    expect(configured.stdout).toBe(lines('configured'));
    const unchanged = await k('-n', ns, 'apply', '-f', edited);
    expect(unchanged.stdout).toBe(lines('unchanged'));

    const labels = await k('-n', ns, 'get', 'deploy,sts,svc', '-l', 'lab.example/revision=2', '-o', 'name');
    expect(labels.stdout.split('\n').sort()).toEqual(objs.map((o) => o.ref).sort());

    for (const o of objs.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      const ref = o.ref.replace('.apps', '');
      if (!rollsOut) {
        // The setup's readiness probe is broken on purpose: all Pods exist but none becomes available.
        const made = await k('-n', ns, 'wait', '--for=jsonpath={.status.updatedReplicas}=3', ref, '--timeout=60s');
        expect(made.exitCode).toBe(0);
        const once = await k('-n', ns, 'rollout', 'status', ref, '--watch=false');
        expect(once).toMatchObject({ exitCode: 0, stdout: `Waiting for deployment "${o.name}" rollout to finish: 0 of 3 updated replicas are available...` });
        continue;
      }
      const r = await k('-n', ns, 'rollout', 'status', ref, '--timeout=60s');
      expect(r.exitCode).toBe(0);
      if (o.kind === 'Deployment') expect(r.stdout).toContain(`deployment "${o.name}" successfully rolled out`);
      // apps/v1 defaults updateStrategy.rollingUpdate.partition to 0, so kubectl takes its partitioned branch.
      else expect(r.stdout).toMatch(/^partitioned roll out complete: \d+ new pods have been updated\.\.\.$/m);
    }
  });
});
