// The NetworkPolicy every environment gets: Pods answer their own namespace, and
// nobody else's. Checked from inside a learner Pod with the learner's own kubectl.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.ts';

let h: Harness;
const learners: { ns: string; kubeconfig: string }[] = [];
let cacheDir: string;

const workload = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.28", ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: sh, image: "busybox:1.36", command: [sleep, "3600"]}]}
`;

beforeAll(async () => {
  h = await startHarness();
  const service = h.service();
  cacheDir = mkdtempSync(path.join(h.dir, 'cache-'));
  for (const name of ['near', 'far']) {
    const user = h.learner(name);
    const ns = (await service.ensure(user, 'clusterip-basics')).environment.namespace;
    const file = path.join(h.dir, `${name}.kubeconfig`);
    writeFileSync(file, (await service.kubeconfig(user, 'clusterip-basics')).kubeconfig, { mode: 0o600 });
    await service.apply(user, 'clusterip-basics', workload);
    learners.push({ ns, kubeconfig: file });
  }
  for (const { ns } of learners) {
    await eventually(`ready pods in ${ns}`, async () => {
      const pods = await h.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns });
      const ready = pods.filter((p) => JSON.stringify(p['status'] ?? {}).includes('"type":"Ready","status":"True"'));
      return ready.length === 2 ? true : undefined;
    });
  }
});
afterAll(async () => h?.close());

function kubectl(kubeconfig: string, ...args: string[]) {
  return execa('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { reject: false });
}

describe('namespace isolation by NetworkPolicy', () => {
  it('a learner Pod reaches its own Service but not another learner’s', async () => {
    const [near, far] = learners as [(typeof learners)[0], (typeof learners)[0]];
    const own = await kubectl(near.kubeconfig, 'exec', 'client', '--', 'wget', '-q', '-O', '-', '-T', '2', 'http://web');
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.stdout).toContain('Welcome to nginx');
    const other = await kubectl(near.kubeconfig, 'exec', 'client', '--', 'wget', '-q', '-O', '-', '-T', '2', `http://web.${far.ns}.svc.cluster.local`);
    expect(other.exitCode).not.toBe(0);
    expect(other.stderr).toMatch(/download timed out/);

    // The policy, not DNS or routing, is what stopped it: without it the same request works.
    await h.admin.delete({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'same-namespace-only', namespace: far.ns });
    const open = await kubectl(near.kubeconfig, 'exec', 'client', '--', 'wget', '-q', '-O', '-', '-T', '2', `http://web.${far.ns}.svc.cluster.local`);
    expect(open.exitCode, open.stderr).toBe(0);
  });
});
