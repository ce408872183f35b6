// The downloaded kubeconfig, used by real kubectl: everything inside the learner's
// namespace works, anything outside it is Forbidden.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKubeconfig } from '../../server/cluster/kubeconfig.ts';
import type { EnvironmentService } from '../../server/environments/service.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let service: EnvironmentService;
let kubeconfigFile: string;
let myNs: string;
let otherNs: string;
let cacheDir: string;

beforeAll(async () => {
  h = await startHarness();
  service = h.service();
  const me = h.learner('me');
  const other = h.learner('other');
  myNs = (await service.ensure(me, 'clusterip-basics')).environment.namespace;
  otherNs = (await service.ensure(other, 'clusterip-basics')).environment.namespace;
  const { kubeconfig } = await service.kubeconfig(me, 'clusterip-basics');
  cacheDir = mkdtempSync(path.join(h.dir, 'kubectl-cache-'));
  kubeconfigFile = path.join(h.dir, 'learner.kubeconfig');
  writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 });
});
afterAll(async () => h?.close());

function kubectl(...args: string[]) {
  return execa('kubectl', ['--kubeconfig', kubeconfigFile, '--cache-dir', cacheDir, ...args], { reject: false });
}

describe('learner kubeconfig with real kubectl', () => {
  it('targets the learner namespace with a ServiceAccount token', () => {
    const doc = parseKubeconfig(readFileSync(kubeconfigFile, 'utf8'));
    expect(doc.contexts[0]?.context.namespace).toBe(myNs);
    expect(doc.users[0]?.user.token).toMatch(/\S{20,}/);
  });

  it('creates a Deployment and a Service and lists pods in its own namespace', async () => {
    const manifest = path.join(h.dir, 'web.yaml');
    writeFileSync(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.28", ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
`,
    );
    const applied = await kubectl('apply', '-f', manifest);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('deployment.apps/web created');
    expect(applied.stdout).toContain('service/web created');
    const pods = await kubectl('get', 'pods', '-o', 'name');
    expect(pods.exitCode).toBe(0);
    const nodes = await kubectl('get', 'nodes', '-o', 'name');
    expect(nodes.exitCode).toBe(0);
    expect(nodes.stdout).toContain('node/');
  });

  it('is Forbidden in another learner namespace and for cluster-scoped writes', async () => {
    const nsManifest = path.join(h.dir, 'ns.yaml');
    writeFileSync(nsManifest, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: mine-now}\n');
    const crbManifest = path.join(h.dir, 'crb.yaml');
    writeFileSync(
      crbManifest,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: escalate}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: learner, namespace: ${myNs}}]
`,
    );
    for (const args of [
      ['get', 'pods', '-n', otherNs],
      ['delete', 'service', 'anything', '-n', otherNs],
      ['get', 'namespace', otherNs, '-o', 'name'],
      ['apply', '-f', nsManifest],
      ['label', 'node', '--all', 'owned=yes'],
      ['apply', '-f', crbManifest],
      ['delete', 'networkpolicy', 'same-namespace-only'],
      ['get', 'secrets'],
    ]) {
      const r = await kubectl(...args);
      expect(r.exitCode, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain('Error from server (Forbidden)');
    }
  });
});
