// bash's /dev/tcp redirection inside the embedded cluster, driven by real kubectl exec as
// the three-tier lesson does: open through a Service, refused (no endpoints, nothing on
// the port), unresolvable, and a NetworkPolicy that drops the connection.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

const objects = `apiVersion: v1
kind: Pod
metadata: {name: database, namespace: tt, labels: {app: database}}
spec:
  containers:
  - name: postgres
    image: postgres:16
    env: [{name: POSTGRES_PASSWORD, value: secret}]
    ports: [{containerPort: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: database-svc, namespace: tt}
spec:
  selector: {app: database}
  ports: [{port: 5432, targetPort: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody-svc, namespace: tt}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: backend, namespace: tt, labels: {app: backend}}
spec:
  containers:
  - name: nginx
    image: nginx:1.28
`;

const isolate = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: database-only-from-frontend, namespace: tt}
spec:
  podSelector: {matchLabels: {app: database}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
`;

beforeAll(async () => {
  cluster = await startCluster({ seed: 5 });
  k = kubectlFor(cluster.kubeconfig);
  await k('create', 'namespace', 'tt');
  expect((await k('apply', '-f', manifest(join(k.dir, 'objects.yaml'), objects))).exitCode).toBe(0);
  expect((await k('-n', 'tt', 'wait', '--for=condition=Ready', 'pod/database', 'pod/backend', '--timeout=60s')).exitCode).toBe(0);
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

const bash = (script: string) => k('-n', 'tt', 'exec', 'backend', '--', 'bash', '-c', script);

describe('bash /dev/tcp through the simulated network', () => {
  it('connects to postgres through its Service', async () => {
    const r = await bash('echo > /dev/tcp/database-svc/5432 && echo open');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'open', stderr: '' });
  });

  it('a Service without endpoints and a port nobody listens on are refused, as bash words it', async () => {
    const svc = await bash('echo > /dev/tcp/nobody-svc/80 && echo open');
    expect(svc.exitCode).toBe(1);
    expect(svc.stdout).toBe('');
    expect(svc.stderr).toBe('bash: connect: Connection refused\nbash: /dev/tcp/nobody-svc/80: Connection refused\ncommand terminated with exit code 1');
    const local = await bash('echo > /dev/tcp/localhost/9999 || echo closed');
    expect(local.stdout).toBe('closed');
    expect(local.stderr).toBe('bash: connect: Connection refused\nbash: /dev/tcp/localhost/9999: Connection refused');
  });

  it('a name that does not resolve fails in getaddrinfo', async () => {
    const r = await bash('echo > /dev/tcp/no-such-db/5432 && echo open');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('bash: no-such-db: Name or service not known\nbash: /dev/tcp/no-such-db/5432: Invalid argument\ncommand terminated with exit code 1');
  });

  it('/bin/sh (dash) has no /dev/tcp: the learner who forgets bash is not told "open"', async () => {
    const r = await k('-n', 'tt', 'exec', 'backend', '--', 'sh', '-c', 'echo > /dev/tcp/database-svc/5432 && echo open');
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('sh: 1: cannot create /dev/tcp/database-svc/5432: Directory nonexistent');
    expect(r.exitCode).not.toBe(0);
  });

  it('a NetworkPolicy that drops the traffic: connect times out', async () => {
    expect((await k('apply', '-f', manifest(join(k.dir, 'netpol.yaml'), isolate))).exitCode).toBe(0);
    try {
      const r = await bash('echo > /dev/tcp/database-svc/5432 && echo open');
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe('bash: connect: Connection timed out\nbash: /dev/tcp/database-svc/5432: Connection timed out\ncommand terminated with exit code 1');
    } finally {
      expect((await k('-n', 'tt', 'delete', 'networkpolicy', 'database-only-from-frontend')).exitCode).toBe(0);
    }
  });
});
