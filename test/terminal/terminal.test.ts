// The portal's terminal end to end: the production app listening on 127.0.0.1, a real
// WebSocket client as the browser, the learner's workspace Pod on the embedded cluster,
// a TTY exec into it, and the real kubectl inside answering `kubectl get pods`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
const exerciseId = 'clusterip-basics';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp({ seed: 5 });
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = address.replace(/^http/, 'ws');
  for (const name of ['ada', 'bob']) {
    const user = t.db.users.create({ externalKey: `local:${name}`, displayName: name, role: 'learner' });
    tokens[name] = t.db.tokens.createToken(user.id, 'terminal', []).plaintext;
  }
  const env = await t.app.inject({ method: 'PUT', url: `/api/v1/exercises/${exerciseId}/environment`, headers: { authorization: `Bearer ${tokens['ada']}` } });
  expect(env.statusCode).toBe(201);
});
afterAll(async () => t?.close());

interface Status { type: 'status'; state: string; message: string }

/** A terminal client: everything the shell printed so far, status frames, and waiting for text. */
function connect(name: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${base}/api/v1/exercises/${exerciseId}/terminal`, { headers: { authorization: `Bearer ${tokens[name]}`, ...headers } });
  let screen = '';
  const statuses: Status[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.test()) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) screen += data.toString();
    else statuses.push(JSON.parse(data.toString()) as Status);
    check();
  });
  const until = (what: string, test: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const closed = () => reject(new Error(`closed before ${what}; screen: ${JSON.stringify(screen)}; statuses: ${JSON.stringify(statuses)}`));
      ws.once('close', closed);
      waiters.push({ test, resolve: () => { ws.off('close', closed); resolve(); } });
      check();
    });
  return {
    ws,
    get screen() { return screen; },
    statuses,
    type: (data: string) => ws.send(JSON.stringify({ type: 'input', data })),
    resize: (cols: number, rows: number) => ws.send(JSON.stringify({ type: 'resize', cols, rows })),
    seen: (text: string) => until(JSON.stringify(text), () => screen.includes(text)),
    status: (state: string) => until(`status ${state}`, () => statuses.some((s) => s.state === state)),
    closed: () => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))),
  };
}

describe('the portal terminal', () => {
  it('starts the workspace, runs the real kubectl as the learner, and replays the screen to a reconnecting tab', async () => {
    const term = connect('ada');
    await term.status('ready');
    expect(term.statuses[0]).toMatchObject({ state: 'starting' });
    term.resize(120, 30);
    term.type('kubectl get pods\r');
    await term.seen('Running');
    expect(term.screen).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    term.type('kubectl get secrets\r');
    await term.seen('cannot list resource "secrets"');
    term.ws.close();
    await term.closed();

    const again = connect('ada');
    await again.seen('kubectl get pods');
    expect(again.statuses.map((s) => s.state)).toEqual(['ready']);
    again.type('exit 3\r');
    await again.status('ended');
    expect(again.statuses.at(-1)?.message).toContain('code 3');
  });

  it('is one learner’s own: another learner gets their own (here: none yet), never this screen', async () => {
    const other = connect('bob');
    await other.status('error');
    expect(other.statuses.at(-1)?.message).toMatch(/environment/i);
    expect(other.screen).toBe('');
  });

  it('refuses a browser upgrade from another site, and an unknown token', async () => {
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${base}/api/v1/exercises/${exerciseId}/terminal`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await refused({ origin: 'http://evil.example', cookie: 'kubelab_session=whatever' })).toBe(403);
    expect(await refused({ authorization: 'Bearer nope' })).toBe(401);
    expect(await refused({})).toBe(401);
  });
});
