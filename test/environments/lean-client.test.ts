// The lean client and executor (node:https and ws, no client-node) that `kubelab grade`
// uses, against the embedded cluster over the real wire: the same answers and the same
// named errors as the client-node client, side by side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCost } from '../../graders/counting.ts';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { KubeClusterClient } from '../../server/cluster/client.ts';
import { AlreadyExistsError, ClusterUnavailableError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../server/cluster/errors.ts';
import { kubeConfigFromString, parseKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { LeanClusterClient } from '../../server/cluster/lean/client.ts';
import { leanConnection, type LeanConnection } from '../../server/cluster/lean/connection.ts';
import { leanExecutor } from '../../server/cluster/lean/exec.ts';
import type { ClusterClient } from '../../server/cluster/types.ts';

let sim: RunningCluster;
let connection: LeanConnection;
let lean: LeanClusterClient;
let reference: ClusterClient;
const NS = 'lean';

beforeAll(async () => {
  sim = await startCluster({ seed: 5 });
  connection = leanConnection(parseKubeconfig(sim.kubeconfig), process.cwd())!;
  lean = new LeanClusterClient(connection);
  reference = new KubeClusterClient(kubeConfigFromString(sim.kubeconfig));
  await lean.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});
afterAll(async () => {
  lean?.close();
  await sim?.close();
});

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('LeanClusterClient', () => {
  it('creates, reads, lists, patches and deletes as the client-node client does', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: NS, labels: { app: 'x' } }, data: { a: '1' } };
    await lean.create(cm, { fieldManager: 'kubelab-test' });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'one', namespace: NS };
    expect(await lean.get(ref)).toEqual(await reference.get(ref));
    expect(await lean.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, labelSelector: 'app=x' })).toEqual(
      await reference.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, labelSelector: 'app=x' }),
    );
    // A merge patch can remove a key with null: plain JSON, no typed models in between.
    const patched = await lean.patch(ref, { data: { a: null, b: '2' } });
    expect(patched['data']).toEqual({ b: '2' });
    await lean.delete(ref);
    expect(await lean.find(ref)).toBeUndefined();
  });

  it('answers discovery for namespaced, cluster-scoped and unknown kinds', async () => {
    expect(await lean.kind('apps/v1', 'Deployment')).toEqual({ resource: 'deployments', namespaced: true });
    expect(await lean.kind('v1', 'Namespace')).toEqual({ resource: 'namespaces', namespaced: false });
    expect(await lean.kind('v1', 'NoSuchKind')).toBeUndefined();
    expect(await lean.kind('nosuch.example.com/v1', 'Thing')).toBeUndefined();
    const err = await errorOf(lean.get({ apiVersion: 'nosuch.example.com/v1', kind: 'Thing', name: 'x', namespace: NS }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err?.message).toMatch(/does not serve kind "Thing"/);
  });

  it('turns refusals into the named errors with the apiserver message', async () => {
    const missing = await errorOf(lean.get({ apiVersion: 'v1', kind: 'Namespace', name: 'nope' }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing?.message).toBe('namespaces "nope" not found');
    const twice = await errorOf(lean.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
    expect(twice).toBeInstanceOf(AlreadyExistsError);

    await lean.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: NS } });
    const { token } = await lean.createToken(NS, 'nobody', 600);
    const forbidden = await errorOf(lean.withToken(token).list({ apiVersion: 'v1', kind: 'Pod', namespace: NS }));
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    const unknown = await errorOf(lean.withToken('not-a-token').list({ apiVersion: 'v1', kind: 'Pod', namespace: NS }));
    expect(unknown).toBeInstanceOf(UnauthorizedError);
  });

  it('reports an unreachable cluster as ClusterUnavailableError', async () => {
    const closed = new LeanClusterClient({ ...connection, server: new URL('https://127.0.0.1:1') });
    expect(await errorOf(closed.list({ apiVersion: 'v1', kind: 'Pod', namespace: NS }))).toBeInstanceOf(ClusterUnavailableError);
    closed.close();
  });
});

describe('leanExecutor', () => {
  it('runs a command in a container: stdout, stderr and the exit code', async () => {
    await lean.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box', namespace: NS },
      spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
    });
    for (let i = 0; i < 500; i++) {
      const pod = await lean.get({ apiVersion: 'v1', kind: 'Pod', name: 'box', namespace: NS });
      if ((pod['status'] as { phase?: string } | undefined)?.phase === 'Running') break;
      await new Promise((r) => setImmediate(r));
    }
    const cost = newCost();
    const exec = leanExecutor(connection, cost);
    const target = { pod: 'box', container: 'main' };
    const options = { namespace: NS, timeoutMs: 10_000 };
    expect(await exec(target, ['echo', 'hello'], options)).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    const failing = await exec(target, ['sh', '-c', 'echo oops >&2; exit 3'], options);
    expect(failing).toEqual({ stdout: '', stderr: 'oops\n', exitCode: 3 });
    expect(cost.execs).toBe(2);
    const gone = await errorOf(exec({ pod: 'no-such-pod', container: 'main' }, ['true'], options));
    expect(gone?.message).toMatch(/exec in no-such-pod\/main could not start: HTTP 404/);
    const cancelled = new AbortController();
    cancelled.abort();
    expect((await errorOf(exec(target, ['sleep', '5'], { ...options, signal: cancelled.signal })))?.message).toMatch(/cancelled/);
  });
});

describe('leanConnection', () => {
  const base = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
    parseKubeconfig(
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://k.example:6443', ...cluster } }],
        users: [{ name: 'u', user }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );

  it('takes tokens, token files and client certificates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-lean-'));
    try {
      writeFileSync(path.join(dir, 'token'), 'from-file\n');
      writeFileSync(path.join(dir, 'cert.pem'), 'CERT');
      expect(leanConnection(base({ token: 't' }), dir)?.token()).toBe('t');
      const rotating = leanConnection(base({ tokenFile: 'token' }), dir)!;
      expect(rotating.token()).toBe('from-file');
      writeFileSync(path.join(dir, 'token'), 'rotated\n');
      expect(rotating.token()).toBe('rotated');
      const certs = leanConnection(base({ 'client-certificate': 'cert.pem', 'client-key-data': Buffer.from('KEY').toString('base64') }, { 'insecure-skip-tls-verify': true }), dir)!;
      expect(certs.cert?.toString()).toBe('CERT');
      expect(certs.key?.toString()).toBe('KEY');
      expect(certs.rejectUnauthorized).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves exec plugins, auth providers, passwords and proxies to client-node', () => {
    expect(leanConnection(base({ exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } }), '/')).toBeUndefined();
    expect(leanConnection(base({ 'auth-provider': { name: 'oidc' } }), '/')).toBeUndefined();
    expect(leanConnection(base({ username: 'a', password: 'b' }), '/')).toBeUndefined();
    expect(leanConnection(base({ token: 't' }, { 'proxy-url': 'http://proxy:3128' }), '/')).toBeUndefined();
  });
});
