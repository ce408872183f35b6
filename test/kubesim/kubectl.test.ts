// Real kubectl 1.32 against the embedded cluster: discovery, apply, get/-w,
// delete --wait, tokens, can-i, exec/logs and the error messages users see.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 7 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

const app = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: lab
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: lab
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

describe('kubectl against kubesim', () => {
  it('reports the server version and discovers resources with short names', async () => {
    const v = await k('version');
    expect(v.stdout).toMatch(/Server Version: v1\.32\.\d+/);
    const r = await k('api-resources');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^services\s+svc\s+v1\s+true\s+Service$/m);
    expect(r.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });

  it('lists and creates namespaces (typed client, protobuf body)', async () => {
    expect((await k('get', 'ns')).stdout).toMatch(/^kube-system\s+Active/m);
    expect((await k('create', 'namespace', 'lab')).stdout).toBe('namespace/lab created');
    const again = await k('create', 'namespace', 'lab');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('Error from server (AlreadyExists): namespaces "lab" already exists');
  });

  it('applies a manifest: created, configured, unchanged; rolls out', async () => {
    const file = join(k.dir, 'app.yaml');
    const first = await k('apply', '-f', manifest(file, app(2)));
    expect(first.stdout).toBe('deployment.apps/web created\nservice/web created');
    const second = await k('apply', '-f', manifest(file, app(3)));
    expect(second.stdout).toBe('deployment.apps/web configured\nservice/web unchanged');
    const third = await k('apply', '-f', file);
    expect(third.stdout).toBe('deployment.apps/web unchanged\nservice/web unchanged');
    const rollout = await k('-n', 'lab', 'rollout', 'status', 'deploy/web', '--timeout=60s');
    expect(rollout.stdout).toContain('deployment "web" successfully rolled out');
    const svc = await k('-n', 'lab', 'get', 'svc', 'web', '-o', 'yaml');
    expect(svc.stdout).toMatch(/clusterIP: 10\.\d+\.\d+\.\d+/);
    expect((await k('get', 'pods', '-A')).stdout).toMatch(/^lab\s+web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/m);
  });

  it('refuses unknown fields server-side (fieldValidation=Strict)', async () => {
    const bad = await k.withInput('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad, namespace: lab}\nspec: {bogus: 1}\n', 'apply', '-f', '-');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('strict decoding error: unknown field "spec"');
  });

  it('shows the real NotFound and Invalid messages', async () => {
    const missing = await k('-n', 'lab', 'get', 'pod', 'nope');
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const invalid = await k.withInput('apiVersion: v1\nkind: Service\nmetadata: {name: two, namespace: lab}\nspec:\n  ports: [{port: 80}, {port: 81}]\n', 'create', '-f', '-');
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toContain('The Service "two" is invalid');
    expect(invalid.stderr).toContain('spec.ports[0].name: Required value');
  });

  it('streams get -w events as they happen', async () => {
    await k('-n', 'lab', 'create', 'configmap', 'first', '--from-literal=a=b');
    const watch = k.spawn('-n', 'lab', 'get', 'configmaps', '-w');
    try {
      await watch.waitFor('first');
      await k('-n', 'lab', 'create', 'configmap', 'second', '--from-literal=a=b');
      await watch.waitFor('second');
    } finally {
      await watch.stop();
    }
    const deleted = await k('-n', 'lab', 'delete', 'configmap', 'second', '--wait');
    expect(deleted.stdout).toBe('configmap "second" deleted');
  });

  it('deletes a Pod gracefully and waits for it', async () => {
    const pods = await k('-n', 'lab', 'get', 'pods', '-o', 'name');
    const pod = pods.stdout.split('\n')[0]!;
    const r = await k('-n', 'lab', 'delete', pod, '--wait', '--timeout=60s');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${pod.replace('pod/', 'pod "')}" deleted`);
  });

  it('issues ServiceAccount tokens and answers can-i', async () => {
    expect((await k('-n', 'lab', 'create', 'serviceaccount', 'learner')).stdout).toBe('serviceaccount/learner created');
    const token = await k('-n', 'lab', 'create', 'token', 'learner');
    expect(token.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await k('auth', 'can-i', 'create', 'pods')).stdout).toBe('yes');
    const sa = await k('auth', 'can-i', 'delete', 'nodes', '--as=system:serviceaccount:lab:learner');
    expect(sa.stdout).toBe('no');
    expect(sa.exitCode).toBe(1);
  });

  it('execs into a Pod over WebSockets and reads its logs', async () => {
    const pod = (await k('-n', 'lab', 'get', 'pods', '-l', 'app=web', '-o', 'name')).stdout.split('\n')[0]!;
    const exec = await k('-n', 'lab', 'exec', pod, '--', 'echo', 'hello');
    expect(exec.stdout).toBe('hello');
    const logs = await k('-n', 'lab', 'logs', pod);
    expect(logs.exitCode).toBe(0);
  });
});
