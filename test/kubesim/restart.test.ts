// The embedded cluster with a state file, restarted the way a server restarts: real
// kubectl with the kubeconfigs handed out before the restart still works, and finds
// the same namespaces, objects, resourceVersions, cluster IPs and Pod IPs. The Pods
// come back as after a node reboot: restarted once, last state Unknown (exit 255).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.28
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team}
data: {colour: teal}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: learner, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: learner-edit, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: learner, namespace: team}]
`;

let dir: string;
let stateFile: string;
let cluster: RunningCluster | undefined;
let admin: Kubectl;
let learner: Kubectl;
const before: Record<string, string> = {};

const jsonpath = async (k: Kubectl, ...args: string[]) => {
  const r = await k('-n', 'team', 'get', ...args);
  expect(r.stderr).toBe('');
  return r.stdout;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubesim-restart-'));
  stateFile = path.join(dir, 'cluster.sqlite');
  cluster = await startCluster({ stateFile, seed: 7 });
  admin = kubectlFor(cluster.kubeconfig);
  expect((await admin('create', 'namespace', 'team')).exitCode).toBe(0);
  expect((await admin.withInput(MANIFEST, 'apply', '-f', '-')).exitCode).toBe(0);
  expect((await admin('-n', 'team', 'rollout', 'status', 'deployment/web', '--timeout=60s')).exitCode).toBe(0);
  const token = (await admin('-n', 'team', 'create', 'token', 'learner', '--duration=2h')).stdout.trim();
  learner = kubectlFor(cluster.kubeconfigFor({ token, namespace: 'team' }));
  before.url = cluster.url;
  before.clusterIP = await jsonpath(admin, 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
  before.pods = await jsonpath(admin, 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.status.podIP}{"\\n"}{end}');
  before.configMap = await jsonpath(admin, 'configmap', 'settings', '-o', 'jsonpath={.metadata.uid} {.metadata.resourceVersion} {.data.colour}');
  expect((await learner('get', 'pods')).exitCode).toBe(0);
  await cluster.close();
  cluster = await startCluster({ stateFile, seed: 8 });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a restarted embedded cluster', () => {
  it('listens on the same port with the same CA and admin token: the old kubeconfig works', async () => {
    expect(cluster!.url).toBe(before.url);
    expect((await admin('get', 'namespace', 'team', '-o', 'name')).stdout).toBe('namespace/team');
  });

  it('keeps objects, uids, resourceVersions and the Service cluster IP', async () => {
    expect(await jsonpath(admin, 'configmap', 'settings', '-o', 'jsonpath={.metadata.uid} {.metadata.resourceVersion} {.data.colour}')).toBe(before.configMap);
    expect(await jsonpath(admin, 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}')).toBe(before.clusterIP);
    // New writes continue after the kept resourceVersions.
    const [, rv] = before.configMap!.split(' ');
    expect((await admin('-n', 'team', 'create', 'configmap', 'later', '--from-literal=a=b')).exitCode).toBe(0);
    expect(Number(await jsonpath(admin, 'configmap', 'later', '-o', 'jsonpath={.metadata.resourceVersion}'))).toBeGreaterThan(Number(rv));
  });

  it('a learner token issued before the restart still authenticates, and RBAC still applies', async () => {
    expect((await learner('get', 'configmap', 'settings', '-o', 'name')).stdout).toBe('configmap/settings');
    const outside = await learner('get', 'pods', '-n', 'kube-system');
    expect(outside.exitCode).toBe(1);
    expect(outside.stderr).toContain('Forbidden');
  });

  it('the Pods come back as after a node reboot: same names, uids and IPs, restarted once, Ready again', async () => {
    expect((await admin('-n', 'team', 'wait', '--for=condition=Ready', '--timeout=60s', 'pods', '-l', 'app=web')).exitCode).toBe(0);
    expect(await jsonpath(admin, 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.uid} {.status.podIP}{"\\n"}{end}')).toBe(before.pods);
    const restarts = await jsonpath(admin, 'pods', '-o', 'jsonpath={range .items[*]}{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}{"\\n"}{end}');
    expect(restarts).toBe('1 Unknown 255\n1 Unknown 255');
    const events = await jsonpath(admin, 'events', '--field-selector', 'reason=SandboxChanged', '-o', 'name');
    expect(events.split('\n').filter(Boolean)).toHaveLength(2);
    // The Service finds them again: two ready endpoints.
    expect((await admin('-n', 'team', 'wait', '--for=jsonpath={.subsets[0].addresses[1].ip}', '--timeout=60s', 'endpoints/web')).exitCode).toBe(0);
  });

  it('a second cluster on the same state file is refused while the first runs', async () => {
    await expect(startCluster({ stateFile })).rejects.toThrow(`the embedded cluster's state file ${stateFile} is in use by another process`);
    expect((await admin('get', 'namespace', 'team', '-o', 'name')).exitCode).toBe(0);
  });
});
