import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenEarly, type EarlyServer } from './early-server.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const servers: EarlyServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.server.close();
    s.server.closeAllConnections();
  }
});

async function start(): Promise<{ early: EarlyServer; url: string }> {
  const early = await listenEarly({ host: '127.0.0.1', port: 0, now: () => NOW });
  servers.push(early);
  return { early, url: `http://127.0.0.1:${early.port}` };
}

/** Resolves once the server has taken in a request for `path` (held or answered). */
function received(early: EarlyServer, path: string): Promise<void> {
  return new Promise((resolve) => {
    const seen = (req: IncomingMessage) => {
      if (req.url !== path) return;
      early.server.off('request', seen);
      resolve();
    };
    early.server.on('request', seen);
  });
}

describe('the early server', () => {
  it('binds a real port and answers the probes before the app exists', async () => {
    const { early, url } = await start();
    expect(early.port).toBeGreaterThan(0);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', time: '2026-01-02T03:04:05.000Z' });

    const ready = await fetch(`${url}/readyz?verbose=1`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: { code: 'not_ready' } });
  });

  it('holds other requests, bodies included, and hands them to the app in order once open', async () => {
    const { early, url } = await start();
    const first = received(early, '/api/v1/first');
    const a = fetch(`${url}/api/v1/first`, { method: 'POST', body: 'hello' });
    await first;
    const second = received(early, '/api/v1/second');
    const b = fetch(`${url}/api/v1/second`);
    await second;

    const order: string[] = [];
    early.factory((req, res) => {
      order.push(req.url!);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`));
    }, { keepAliveTimeout: 72_000 });
    expect(early.server.keepAliveTimeout).toBe(72_000);
    early.open();

    expect(await (await a).text()).toBe('POST /api/v1/first hello');
    expect(await (await b).text()).toBe('GET /api/v1/second ');
    expect(order).toEqual(['/api/v1/first', '/api/v1/second']);
    // Once open, the probes are the app's too.
    expect(await (await fetch(`${url}/readyz`)).text()).toBe('GET /readyz ');
  });

  it("lets Fastify's listen() hear 'listening' without binding again", async () => {
    const { early } = await start();
    const server = early.factory(() => {}, {});
    const heard = once(server, 'listening');
    server.listen({ host: '127.0.0.1', port: early.port });
    await heard;
    expect(server.listening).toBe(true);
  });

  it('answers held requests 503 and lets the port go when start-up fails', async () => {
    const { early, url } = await start();
    const held = received(early, '/exercises');
    const pending = fetch(`${url}/exercises`);
    await held;
    const closed = once(early.server, 'close');
    early.fail();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'not_ready', message: 'kubelab failed to start' } });
    await closed;
  });

  it('rejects with the listen error when the port is taken', async () => {
    const { early } = await start();
    await expect(listenEarly({ host: '127.0.0.1', port: early.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
