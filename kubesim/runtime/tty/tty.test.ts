import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StatusError } from '../../core/errors.ts';
import { parseResize } from './resize.ts';
import { Terminal } from './terminal.ts';
import { runProc, type Waiter } from '../proc.ts';
import { runPod, world, type World } from '../testing/fixtures.ts';

function term(): { t: Terminal; shown: () => string; waiter: Waiter } {
  const w = world();
  const waiter: Waiter = { clock: w.clock, timeoutScale: 1 };
  let shown = '';
  const t = new Terminal(waiter, (s) => { shown += s; });
  return { t, shown: () => shown, waiter };
}

describe('the line discipline', () => {
  it('echoes, turns Enter (CR) into a line ending in LF, and erases with backspace (DEL or BS)', async () => {
    const { t, shown, waiter } = term();
    t.input('lx\x7fs\x08s -a\r');
    expect(shown()).toBe('lx\b \bs\b \bs -a\r\n');
    expect(await runProc(t.readLine(), waiter)).toEqual({ kind: 'line', text: 'ls -a\n' });
  });

  it('Ctrl-U kills the line; cursor-key escape sequences are skipped', async () => {
    const { t, shown, waiter } = term();
    t.input('abc\x15\x1b[A\x1bOPok\r');
    expect(shown()).toBe('abc\b \b\b \b\b \bok\r\n');
    expect(await runProc(t.readLine(), waiter)).toEqual({ kind: 'line', text: 'ok\n' });
  });

  it('Ctrl-D hands over a partial line, and on an empty line is end of input', async () => {
    const { t, waiter } = term();
    t.input('xy\x04\x04');
    expect(await runProc(t.readLine(), waiter)).toEqual({ kind: 'line', text: 'xy' });
    expect(await runProc(t.readLine(), waiter)).toEqual({ kind: 'eof' });
  });

  it('a program reading stdin to the end gets the lines typed until Ctrl-D, or until hang-up', async () => {
    const { t, waiter } = term();
    const all = runProc(t.stdin.readAll(), waiter);
    t.input('one\rtwo\r\x04');
    expect(await all).toBe('one\ntwo\n');
    const rest = runProc(t.stdin.readAll(), waiter);
    t.input('three\r');
    t.hangUp();
    expect(await rest).toBe('three\n');
  });

  it('output has LF turned into CRLF, once', () => {
    const { t, shown } = term();
    t.write('a\nb\r\nc');
    expect(shown()).toBe('a\r\nb\r\nc');
  });

  it('Ctrl-C with no shell reading interrupts the process; at a shell prompt it is a read event', async () => {
    const { t, shown, waiter } = term();
    let interrupts = 0;
    t.onInterrupt = () => { interrupts++; };
    t.input('sle\x03');
    expect([shown(), interrupts]).toEqual(['sle^C', 1]);
    const read = runProc(t.readLine(), waiter);
    t.input('\x03');
    expect(await read).toEqual({ kind: 'interrupt' });
    expect(interrupts).toBe(1);
  });
});

describe('resize frames', () => {
  it.each([
    ['{"Width":120,"Height":40}', { width: 120, height: 40 }],
    ['{"width":80,"height":24}', { width: 80, height: 24 }],
    ['{"Width":-1,"Height":40}', undefined],
    ['{"Width":"wide","Height":40}', undefined],
    ['[80,24]', undefined],
    ['not json', undefined],
  ])('%s', (json, size) => {
    expect(parseResize(Buffer.from(json))).toEqual(size);
  });
});

// A tiny apiserver stand-in routing exec and attach upgrades to the runtime, as kubesim/apiserver does.
function startServer(w: World): Promise<Server> {
  const server = createServer((_req, res) => { res.writeHead(404); res.end(); });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/.exec(url.pathname);
    const pod = m ? w.store.get('pods', m[1], m[2] ?? '') : undefined;
    if (!pod) { socket.end('HTTP/1.1 404 Not Found\r\n\r\n'); return; }
    const q = url.searchParams;
    const io = { pod, container: q.get('container') ?? undefined, stdin: q.get('stdin') === 'true', stdout: q.get('stdout') === 'true', stderr: q.get('stderr') === 'true', tty: q.get('tty') === 'true' };
    try {
      if (m?.[3] === 'exec') w.rt.exec(req, socket, head, { ...io, command: q.getAll('command') });
      else w.rt.attach(req, socket, head, io);
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

beforeAll(async () => {
  w = world();
  runPod(w, 'tools', { ip: '10.244.1.20', containers: [{ name: 'web', image: 'nginx:1.27', command: ['sleep', '3600'] }] });
  runPod(w, 'console', { ip: '10.244.1.21', containers: [{ name: 'shell', image: 'debian:12', command: ['bash'], stdin: true, stdinOnce: true, tty: true }] });
  server = await startServer(w);
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A WebSocket session that collects channel-1 output and lets the test wait for text in it. */
function session(path: string, protocol = 'v5.channel.k8s.io') {
  const ws = new WebSocket(`ws://${base}${path}`, [protocol]);
  let out = '';
  let status = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  ws.on('message', (d: Buffer) => {
    if (d[0] === 1) out += d.subarray(1).toString();
    if (d[0] === 3) status = d.subarray(1).toString();
    for (const wt of waiters.splice(0)) {
      if (out.includes(wt.text)) wt.resolve();
      else waiters.push(wt);
    }
  });
  const opened = new Promise<void>((resolve, reject) => { ws.on('open', () => resolve()); ws.on('error', reject); });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return {
    opened,
    type: (s: string) => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(s)])),
    send: (b: Buffer) => ws.send(b),
    waitFor: (text: string) => new Promise<void>((resolve) => {
      if (out.includes(text)) resolve();
      else waiters.push({ text, resolve });
    }),
    output: () => out,
    end: async () => ({ code: await closed, status }),
  };
}

describe('terminal sessions over WebSocket', () => {
  it('exec -t into a Debian image: sh is dash with its "# " prompt; exit 2 is the exit code', async () => {
    const s = session('/api/v1/namespaces/default/pods/tools/exec?command=sh&stdin=true&stdout=true&tty=true');
    await s.opened;
    await s.waitFor('# ');
    s.type('echo a; echo b >&2\r');
    await s.waitFor('b\r\n# ');
    s.type('exit 2\r');
    const r = await s.end();
    expect(s.output()).toBe('# echo a; echo b >&2\r\na\r\nb\r\n# exit 2\r\n');
    expect(r.code).toBe(1000);
    expect(JSON.parse(r.status)).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
  });

  it('an unfinished loop continues after PS2 "> "; Ctrl-D at the prompt ends the shell with a newline', async () => {
    const s = session('/api/v1/namespaces/default/pods/tools/exec?command=sh&stdin=true&stdout=true&tty=true');
    await s.opened;
    await s.waitFor('# ');
    s.type('for i in 1 2\r');
    await s.waitFor('> ');
    s.type('do echo n$i; done\r');
    await s.waitFor('n2\r\n# ');
    s.type('\x04');
    const r = await s.end();
    expect(s.output()).toBe('# for i in 1 2\r\n> do echo n$i; done\r\nn1\r\nn2\r\n# \r\n');
    expect(JSON.parse(r.status)).toEqual({ metadata: {}, status: 'Success' });
  });

  it('exec -t of a command that is not a shell: Ctrl-C kills it, exit code 130', async () => {
    const s = session('/api/v1/namespaces/default/pods/tools/exec?command=cat&stdin=true&stdout=true&tty=true', 'v4.channel.k8s.io');
    await s.opened;
    s.send(Buffer.from([4, ...Buffer.from('{"Width":100,"Height":30}')]));
    s.type('meow\r');
    await s.waitFor('meow\r\n');
    s.type('\x03');
    const r = await s.end();
    expect(s.output()).toBe('meow\r\n^C');
    expect(JSON.parse(r.status)).toMatchObject({ details: { causes: [{ reason: 'ExitCode', message: '130' }] } });
  });

  it('attach -it to a bash main process: its prompt, cd changes it, closing stdin (stdinOnce) ends the container', async () => {
    const s = session('/api/v1/namespaces/default/pods/console/attach?container=shell&stdin=true&stdout=true&tty=true');
    await s.opened;
    s.type('\r');
    await s.waitFor('root@console:/# ');
    s.type('cd /root\r');
    await s.waitFor('root@console:~# ');
    s.send(Buffer.from([255, 0]));
    const r = await s.end();
    expect(s.output()).toBe('\r\nroot@console:/# cd /root\r\nroot@console:~# exit\r\n');
    expect([r.code, JSON.parse(r.status)]).toEqual([1000, { metadata: {}, status: 'Success' }]);
    // The main process ended with the session: a second attach is refused before upgrading.
    const again = session('/api/v1/namespaces/default/pods/console/attach?container=shell&stdout=true');
    await expect(again.opened).rejects.toThrow(/Unexpected server response: 400/);
  });
});
