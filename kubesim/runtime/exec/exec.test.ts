import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StatusError } from '../../core/errors.ts';
import type { ExecRequest } from '../../core/podio.ts';
import type { StoredObject } from '../../core/types.ts';
import { bb, nginx, runPod, world, type World } from '../testing/fixtures.ts';

// A tiny apiserver stand-in: routes exec upgrades to runtime.exec as kubesim/apiserver does.
function startServer(w: World): Promise<Server> {
  const server = createServer((_req, res) => { res.writeHead(404); res.end(); });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const pod = m ? w.store.get('pods', m[1], m[2] ?? '') : undefined;
    if (!pod) { socket.end('HTTP/1.1 404 Not Found\r\n\r\n'); return; }
    const q = url.searchParams;
    const request: ExecRequest = {
      pod, container: q.get('container') ?? undefined, command: q.getAll('command'),
      stdin: q.get('stdin') === 'true', stdout: q.get('stdout') === 'true', stderr: q.get('stderr') === 'true', tty: q.get('tty') === 'true',
    };
    try {
      w.rt.exec(req, socket, head, request);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      const body = JSON.stringify(e.toStatus());
      socket.end(`HTTP/1.1 ${e.code} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let w: World;
let server: Server;
let base: string;
let pod: StoredObject;
let kc: KubeConfig;

beforeAll(async () => {
  w = world();
  pod = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb(), nginx('web')] });
  runPod(w, 'done', { ip: '10.244.1.10', containers: [bb()], phase: 'Succeeded' });
  server = await startServer(w);
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://${base}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

interface Frames { frames: Buffer[]; protocol: string; closeCode: number }

function rawExec(query: string, protocols: string[], send?: (ws: WebSocket) => void): Promise<Frames> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base}/api/v1/namespaces/default/pods/client/exec?${query}`, protocols);
    const frames: Buffer[] = [];
    ws.on('open', () => send?.(ws));
    ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)));
    ws.on('close', (code) => resolve({ frames, protocol: ws.protocol, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => reject(new Error(`${res.statusCode} ${body}`)));
    });
    ws.on('error', reject);
  });
}

describe('exec over WebSocket (ws client)', () => {
  it('streams stdout and stderr, then one status frame on channel 3, then closes 1000', async () => {
    const r = await rawExec('command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&stdout=true&stderr=true', ['v5.channel.k8s.io']);
    expect(r.protocol).toBe('v5.channel.k8s.io');
    expect(r.closeCode).toBe(1000);
    expect(r.frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
      [1, 'out\n'],
      [2, 'err\n'],
      [3, '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}'],
    ]);
  });

  it('prefers v5 and falls back to v4', async () => {
    const r = await rawExec('command=true&stdout=true', ['v4.channel.k8s.io', 'v3.channel.k8s.io']);
    expect(r.protocol).toBe('v4.channel.k8s.io');
    expect(r.frames.map((f) => f.toString('latin1'))).toEqual(['\x03{"metadata":{},"status":"Success"}']);
  });

  it('feeds stdin until the v5 close frame [255, 0]', async () => {
    const r = await rawExec('command=cat&stdin=true&stdout=true', ['v5.channel.k8s.io'], (ws) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello ')]));
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('world\n')]));
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]));
      ws.send(Buffer.from([255, 0]));
    });
    expect(r.frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([[1, 'hello world\n'], [3, '{"metadata":{},"status":"Success"}']]);
  });

  it('never sends a channel the client did not ask for', async () => {
    const r = await rawExec('command=sh&command=-c&command=echo%20x%20%3E%262&stdout=true', ['v5.channel.k8s.io']);
    expect(r.frames.map((f) => f[0])).toEqual([3]);
  });

  it.each([
    ['command=true&stdout=true&container=nope', ['v5.channel.k8s.io'], /400 .*container nope is not valid for pod client/],
    ['command=true&stdout=true', ['channel.k8s.io'], /400 .*no supported WebSocket subprotocol/],
  ])('refuses before upgrading: %s', async (query, protocols, message) => {
    await expect(rawExec(query, protocols)).rejects.toThrow(message);
  });

  it('a binary the image does not ship is an OCI InternalError', async () => {
    const r = await rawExec('command=nslookup&command=web&stdout=true&container=web', ['v5.channel.k8s.io']);
    const status = JSON.parse(r.frames[0]!.subarray(1).toString()) as { reason: string; message: string; code: number };
    expect(status.reason).toBe('InternalError');
    expect(status.code).toBe(500);
    expect(status.message).toMatch(/^Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nslookup": executable file not found in \$PATH: unknown$/);
  });
});

async function nodeExec(podName: string, container: string, command: string[], stdin?: string): Promise<{ stdout: string; stderr: string; status: V1Status }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => { stdout += c.toString(); });
  err.on('data', (c: Buffer) => { stderr += c.toString(); });
  const input = stdin === undefined ? null : Readable.from([Buffer.from(stdin)]);
  return new Promise((resolve, reject) => {
    new Exec(kc)
      .exec('default', podName, container, command, out, err, input, false, (status) => resolve({ stdout, stderr, status }))
      .catch(reject);
  });
}

function exitCode(status: V1Status): number {
  if (status.status === 'Success') return 0;
  return Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
}

describe('exec through client-node Exec', () => {
  it.each([
    [['sh', '-c', 'echo hi'], 'hi\n', '', 0],
    [['sh', '-c', 'echo oops >&2; exit 4'], '', 'oops\n', 4],
    [['sh', '-c', 'nslookup web'], '', 'sh: 1: nslookup: not found\n', 127],
  ])('%j', async (command, stdout, stderr, code) => {
    const container = command[2]?.includes('nslookup') ? 'web' : 'probe';
    const r = await nodeExec('client', container, command);
    expect([r.stdout, r.stderr, exitCode(r.status)]).toEqual([stdout, stderr, code]);
  });

  it('passes stdin', async () => {
    const r = await nodeExec('client', 'probe', ['sh', '-c', 'wc -l'], 'a\nb\nc\n');
    expect(r.stdout).toBe('3\n');
  });

  it('refuses a completed pod before upgrading', async () => {
    await expect(nodeExec('done', 'probe', ['true'])).rejects.toThrow();
  });

  it('200 concurrent execs return their own output and exit codes', async () => {
    const runs = Array.from({ length: 200 }, (_, i) => nodeExec('client', 'probe', ['sh', '-c', `echo out-${i}; echo err-${i} >&2; exit ${i % 7}`]));
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      expect(r.stdout).toBe(`out-${i}\n`);
      expect(r.stderr).toBe(`err-${i}\n`);
      expect(exitCode(r.status)).toBe(i % 7);
    });
  });
});
