// What a learner made survives the server: a second `kubelab serve` on the same data
// directory is turned away without touching the first, and a restart (clean or kill -9)
// of a server on the embedded cluster brings back the learner's environment, with the
// kubeconfig downloaded before it still working in real kubectl.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, kubelab, REPO } from '../cli/run.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';

let root: string;
let env: Record<string, string>;
let token: string;
let kubeconfigFile: string;
let namespace: string;
let server: ServeProcess;
const running: ServeProcess[] = [];

async function serve(): Promise<ServeProcess> {
  const p = await startServe(env);
  running.push(p);
  return p;
}

async function api(method: string, url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}/api/v1${url}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text() };
}

function kubectl(...args: string[]) {
  return execa('kubectl', ['--kubeconfig', kubeconfigFile, '--cache-dir', path.join(root, 'kubectl-cache'), ...args], { reject: false });
}

async function expectEnvironmentIntact(): Promise<void> {
  const got = await api('GET', '/exercises/clusterip-basics/environment');
  expect(got.status).toBe(200);
  expect(JSON.parse(got.body).environment).toMatchObject({ namespace, status: 'ready' });
  const cm = await kubectl('get', 'configmap', 'notes', '-o', 'jsonpath={.data.text}');
  expect([cm.exitCode, cm.stdout, cm.stderr]).toEqual([0, 'my work', '']);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kubelab-nothing-lost-'));
  env = { KUBELAB_DATA_DIR: path.join(root, 'data') };
  const added = await kubelab(['users', 'add', 'ada'], { env });
  expect(added.exitCode).toBe(0);
  token = added.stdout.trim();
  server = await serve();
  const created = await api('PUT', '/exercises/clusterip-basics/environment');
  expect(created.status).toBe(201);
  namespace = JSON.parse(created.body).environment.namespace;
  const kubeconfig = await api('GET', '/exercises/clusterip-basics/environment/kubeconfig');
  kubeconfigFile = path.join(root, 'ada.kubeconfig');
  writeFileSync(kubeconfigFile, kubeconfig.body, { mode: 0o600 });
  expect((await kubectl('create', 'configmap', 'notes', '--from-literal=text=my work')).exitCode).toBe(0);
}, 120_000);

afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('nothing lost', () => {
  it('a second serve on the same data directory exits at once and leaves the first untouched', async () => {
    const second = await execa('node', [BIN, 'serve'], { cwd: REPO, env: cleanEnv({ ...env, PORT: '0' }), extendEnv: false, reject: false });
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^kubelab: another kubelab serve \\(pid ${server.child.pid}, started \\S+, port \\d+\\) is using the data directory `));
    await expectEnvironmentIntact();
  });

  it('after a clean restart the environment, its objects and the old kubeconfig are all back', async () => {
    server.child.kill('SIGTERM');
    expect((await server.child).exitCode).toBe(0);
    server = await serve();
    await expectEnvironmentIntact();
  });

  it('after kill -9 as well', async () => {
    server.child.kill('SIGKILL');
    await server.child;
    server = await serve();
    await expectEnvironmentIntact();
    // And the learner can go on working.
    expect((await kubectl('create', 'configmap', 'more', '--from-literal=a=b')).exitCode).toBe(0);
  });
});
