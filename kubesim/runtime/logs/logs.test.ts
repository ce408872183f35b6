import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import type { LogRequest } from '../../core/podio.ts';
import type { StoredObject } from '../../core/types.ts';
import { bb, runPod, service, sh, slice, world, type World } from '../testing/fixtures.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** Serve GET /log?... through runtime.logs on a real HTTP server, as the apiserver does. */
async function logServer(w: World, pod: StoredObject): Promise<string> {
  server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
    const request: LogRequest = {
      pod: w.store.get('pods', pod.metadata.namespace, pod.metadata.name) ?? pod,
      container: q.get('container') ?? undefined,
      follow: q.get('follow') === 'true', previous: q.get('previous') === 'true', timestamps: q.get('timestamps') === 'true',
      tailLines: num('tailLines'), sinceSeconds: num('sinceSeconds'), limitBytes: num('limitBytes'),
    };
    try {
      w.rt.logs(request, res);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      res.writeHead(e.code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(e.toStatus()));
    }
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string): Promise<[number, string]> {
  const res = await fetch(url);
  return [res.status, await res.text()];
}

describe('logs', () => {
  it('nginx: entrypoint lines, then access log lines for probes and proxied requests', async () => {
    const w = world();
    const web = runPod(w, 'web', { ip: '10.244.1.5', containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    service(w, 'web', { clusterIP: '10.96.45.62', ports: [{ port: 80 }] });
    slice(w, 'web', [{ port: 80 }], [{ ip: '10.244.1.5' }]);
    w.rt.probe(web, 'nginx', { httpGet: { path: '/', port: 80 } });
    const client = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    await sh(w, client, 'wget -qO- http://web/missing; true');
    const base = await logServer(w, web);
    const [code, body] = await get(`${base}/?tailLines=3`);
    expect(code).toBe(200);
    const lines = body.split('\n');
    expect(lines[0]).toMatch(/^10\.244\.1\.1 - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "kube-probe\/1\.32" "-"$/);
    expect(lines[1]).toMatch(/\[error\] 29#29: \*2 open\(\) "\/usr\/share\/nginx\/html\/missing" failed \(2: No such file or directory\), client: 10\.244\.1\.9/);
    expect(lines[2]).toMatch(/^10\.244\.1\.9 - - \[.*\] "GET \/missing HTTP\/1\.1" 404 153 "-" "Wget" "-"$/);
    const [, all] = await get(base);
    expect(all.split('\n')[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
  });

  it.each([
    ['tailLines', 'tailLines=2', 'c\nd\n'],
    ['limitBytes', 'limitBytes=3', 'a\nb'],
    ['timestamps', 'tailLines=1&timestamps=true', '2026-01-01T00:00:00.000000000Z d\n'],
    ['sinceSeconds', 'sinceSeconds=1', 'a\nb\nc\nd\n'],
  ])('%s', async (_why, query, want) => {
    const w = world();
    const p = runPod(w, 'b', { ip: '10.244.1.5', containers: [{ name: 'b', image: 'busybox', command: ['sh', '-c', 'echo a; echo b; echo c; echo d; sleep 3600'] }] });
    const base = await logServer(w, p);
    expect(await get(`${base}/?${query}`)).toEqual([200, want]);
  });

  it('previous: the last terminated instance, or 400 when there is none', async () => {
    const w = world();
    const p = runPod(w, 'b', { ip: '10.244.1.5', containers: [{ name: 'b', image: 'busybox', command: ['sh', '-c', 'echo run-$(date +%s); sleep 5'] }] });
    const base = await logServer(w, p);
    const [code, body] = await get(`${base}/?previous=true`);
    expect(code).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ reason: 'BadRequest', message: 'previous terminated container "b" in pod "b" not found' });
    const exits: number[] = [];
    w.rt.onExit((e) => exits.push(e.exitCode));
    w.clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
    w.rt.start(p, 'b');
    expect(await get(`${base}/?previous=true`)).toEqual([200, 'run-1767225600\n']);
    expect(await get(`${base}/`)).toEqual([200, 'run-1767225605\n']);
  });

  it('follow streams new lines until the container stops', async () => {
    const w = world();
    const p = runPod(w, 'b', { ip: '10.244.1.5', containers: [{ name: 'b', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3; do echo tick-$i; sleep 1; done'] }] });
    const base = await logServer(w, p);
    const res = await fetch(`${base}/?follow=true`);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    const first = await reader.read();
    text += new TextDecoder().decode(first.value);
    expect(text).toBe('tick-1\n');
    w.clock.advance(1000);
    w.clock.advance(1000);
    w.clock.advance(1000);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toBe('tick-1\ntick-2\ntick-3\n');
  });

  it.each([
    ['unknown container', 'container=nope', 'container nope is not valid for pod two'],
    ['multi-container pod without a container', '', 'a container name must be specified for pod two, choose one of: [a b]'],
  ])('400: %s', async (_why, query, message) => {
    const w = world();
    const p = runPod(w, 'two', { ip: '10.244.1.5', containers: [bb('a'), bb('b')] });
    const base = await logServer(w, p);
    const [code, body] = await get(`${base}/?${query}`);
    expect([code, (JSON.parse(body) as { message: string }).message]).toEqual([400, message]);
  });
});
