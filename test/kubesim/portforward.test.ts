// Real kubectl 1.32 port-forward against the embedded cluster: to a Pod, to a Service by
// port number and by named port, then real HTTP through the local port; a port nobody
// listens on gives kubectl's error; raw TCP reaches postgres; Ctrl-C ends kubectl cleanly;
// RBAC checks create pods/portforward.

import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

const apps = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: pf}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: pf}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 8080, targetPort: http}
---
apiVersion: v1
kind: Pod
metadata: {name: echo, namespace: pf, labels: {app: echo}}
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo:1.0
    args: ["-text=hello through the tunnel"]
    ports: [{containerPort: 5678}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: pf}
spec:
  containers:
  - name: postgres
    image: postgres:16
    env: [{name: POSTGRES_PASSWORD, value: secret}]
`;

beforeAll(async () => {
  cluster = await startCluster({ seed: 11 });
  k = kubectlFor(cluster.kubeconfig);
  await k('create', 'namespace', 'pf');
  const applied = await k('apply', '-f', manifest(join(k.dir, 'apps.yaml'), apps));
  expect(applied.exitCode).toBe(0);
  expect((await k('-n', 'pf', 'rollout', 'status', 'deploy/web', '--timeout=60s')).exitCode).toBe(0);
  expect((await k('-n', 'pf', 'wait', '--for=condition=Ready', 'pod/echo', 'pod/db', '--timeout=60s')).exitCode).toBe(0);
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

interface Forward {
  proc: ResultPromise<{ reject: false }>;
  /** The local port kubectl picked (we ask for ":<remote>"). */
  port: number;
  stderr(): string;
}

/** Start `kubectl port-forward <target> :<remote>` and wait for its "Forwarding from" line. */
async function portForward(target: string, remote: string, as: Kubectl = k, env: Record<string, string> = {}): Promise<Forward> {
  const proc = execa('kubectl', ['--kubeconfig', join(as.dir, 'kubeconfig'), '--cache-dir', join(as.dir, 'cache'), '-n', 'pf', 'port-forward', target, `:${remote}`, '-v=4'], { reject: false, env });
  let out = '';
  let err = '';
  proc.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void proc.then((r) => reject(new Error(`kubectl port-forward exited ${r.exitCode}: ${out}${err}`)));
  });
  return { proc, port, stderr: () => err };
}

function get(port: number, path = '/'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function stop(f: Forward): Promise<number | undefined> {
  f.proc.kill('SIGINT');
  return (await f.proc).exitCode;
}

describe('kubectl port-forward', () => {
  it('forwards to a Pod: http-echo answers through the local port', async () => {
    const f = await portForward('pod/echo', '5678');
    const res = await get(f.port);
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello through the tunnel\n');
    // A second connection over the same session works too.
    expect((await get(f.port, '/health')).body).toBe('{"status":"ok"}\n');
    expect(await stop(f)).toBe(0);
    // kubectl took the WebSocket tunnel (its first choice) and logged no error.
    expect(f.stderr()).toContain('negotiated protocol: portforward.k8s.io');
    expect(f.stderr()).not.toMatch(/^E\d{4}/m);
  });

  it('speaks plain SPDY too: kubectl with WebSocket tunnelling turned off', async () => {
    const f = await portForward('pod/echo', '5678', k, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    expect((await get(f.port)).body).toBe('hello through the tunnel\n');
    expect(await stop(f)).toBe(0);
    expect(f.stderr()).not.toContain('tunneling_dialer');
  });

  it('forwards to a Service by port number (kubectl resolves it to a Pod and its target port)', async () => {
    const f = await portForward('service/web', '8080');
    const res = await get(f.port);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Welcome to nginx!</title>');
    expect(res.headers['server']).toMatch(/^nginx/);
    expect(await stop(f)).toBe(0);
  });

  it('forwards to a Service by named port, as lesson 2 does', async () => {
    const f = await portForward('service/web', 'http');
    expect((await get(f.port)).body).toContain('Welcome to nginx!');
    expect((await get(f.port, '/missing')).status).toBe(404);
    expect(await stop(f)).toBe(0);
  });

  it('forwards raw TCP: postgres receives the bytes (and logs the bad startup packet)', async () => {
    const f = await portForward('pod/db', '5432');
    await new Promise<void>((resolve, reject) => {
      const sock = connect(f.port, '127.0.0.1', () => sock.end('not a startup packet'));
      sock.on('error', reject);
      sock.on('close', () => resolve());
      sock.resume();
    });
    const logs = await k('-n', 'pf', 'logs', 'db');
    expect(logs.stdout).toMatch(/LOG: {2}invalid length of startup packet/);
    expect(await stop(f)).toBe(0);
  });

  it('a port nobody listens on: kubectl reports the refused connection and loses the pod', async () => {
    const f = await portForward('pod/echo', '9999');
    await expect(get(f.port)).rejects.toThrow();
    const r = await f.proc;
    expect(r.exitCode).toBe(1);
    // klog quotes the message (err="..."): compare it unescaped.
    expect(f.stderr().replaceAll('\\"', '"')).toMatch(/an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]+": failed to connect to localhost:9999 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:9999: connect: connection refused/);
    expect(f.stderr()).toContain('error: lost connection to pod');
  });

  it('needs create pods/portforward: reading Pods is not enough, the learner-style grant is', async () => {
    await k('-n', 'pf', 'create', 'serviceaccount', 'viewer');
    await k('-n', 'pf', 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods');
    await k('-n', 'pf', 'create', 'rolebinding', 'viewer-reads', '--role=pod-reader', '--serviceaccount=pf:viewer');
    const token = (await k('-n', 'pf', 'create', 'token', 'viewer')).stdout;
    const viewer = kubectlFor(cluster.kubeconfigFor({ token, namespace: 'pf', name: 'viewer' }));
    const refused = await viewer('-n', 'pf', 'port-forward', 'pod/echo', ':5678');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('pods "echo" is forbidden: User "system:serviceaccount:pf:viewer" cannot create resource "pods/portforward" in API group "" in the namespace "pf"');
    await k('-n', 'pf', 'create', 'role', 'forwarder', '--verb=create', '--resource=pods/portforward');
    await k('-n', 'pf', 'create', 'rolebinding', 'viewer-forwards', '--role=forwarder', '--serviceaccount=pf:viewer');
    const f = await portForward('pod/echo', '5678', viewer);
    expect((await get(f.port)).body).toBe('hello through the tunnel\n');
    expect(await stop(f)).toBe(0);
  });
});
