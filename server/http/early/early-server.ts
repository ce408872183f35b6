// `kubelab serve` binds its port before it loads the app: the catalog, the cluster and
// the routes take seconds on a small machine, and the port should be ours (and the
// ready line printed) long before. Until the app is ready this server answers the two
// probes itself — /healthz: alive; /readyz: 503, not ready yet — and holds every other
// request, then hands the held ones to the app in arrival order: a learner who comes
// early waits a moment, and never sees an error for it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What Fastify hands a serverFactory (only the timeouts matter here). */
export interface ServerTimeouts {
  readonly keepAliveTimeout?: number;
  readonly requestTimeout?: number;
  readonly connectionTimeout?: number;
  readonly maxRequestsPerSocket?: number;
}

export interface EarlyServer {
  readonly server: Server;
  /** The bound port: the real one when port 0 was asked for. */
  readonly port: number;
  /**
   * Fastify's serverFactory: keeps the app's handler and returns the bound server. Its
   * listen() then only reports 'listening': the port is bound already, and Fastify's
   * listen() is still what sets up its clean close (idle connections, in-flight requests).
   */
  factory(handler: Handler, options: ServerTimeouts): Server;
  /** The app is ready: held requests go to it, and so does everything after. */
  open(): void;
  /** Start-up failed: held requests get a 503, and the port is released. */
  fail(): void;
}

export interface EarlyOptions {
  readonly host: string;
  readonly port: number;
  /** Clock for /healthz's time (epoch ms). Default Date.now. */
  readonly now?: () => number;
}

/** Binds host:port; rejects with the listen error (EADDRINUSE…) as Node gives it. */
export async function listenEarly(options: EarlyOptions): Promise<EarlyServer> {
  const now = options.now ?? Date.now;
  // The app's handler: given by factory(), used once open() is called.
  let pending: Handler | undefined;
  let app: Handler | undefined;
  const held: (() => void)[] = [];
  const failures: (() => void)[] = [];

  const server = createServer((req, res) => {
    if (app) return app(req, res);
    if (probe(req, res, now)) return;
    held.push(() => app!(req, res));
    failures.push(() => answer(res, 503, { error: { code: 'not_ready', message: 'kubelab failed to start', details: null } }, { connection: 'close' }));
  });
  // A WebSocket (the portal's terminal) opened early is held too; the app's own
  // 'upgrade' listener, added later, takes it when it is emitted again.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (app) return;
    held.push(() => {
      if (!socket.destroyed) server.emit('upgrade', req, socket, head);
    });
    failures.push(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');

  return {
    server,
    port: address.port,
    factory(handler, timeouts) {
      pending = handler;
      // Fastify's own defaults for a server it creates, applied to this one.
      if (timeouts.keepAliveTimeout !== undefined) server.keepAliveTimeout = timeouts.keepAliveTimeout;
      if (timeouts.requestTimeout !== undefined) server.requestTimeout = timeouts.requestTimeout;
      if (timeouts.maxRequestsPerSocket !== undefined) server.maxRequestsPerSocket = timeouts.maxRequestsPerSocket;
      if (timeouts.connectionTimeout !== undefined) server.setTimeout(timeouts.connectionTimeout);
      server.listen = function alreadyListening(...args: unknown[]) {
        const done = args.find((a) => typeof a === 'function') as (() => void) | undefined;
        process.nextTick(() => {
          server.emit('listening');
          done?.();
        });
        return server;
      } as Server['listen'];
      return server;
    },
    open() {
      if (!pending) throw new Error('open() before the app gave its handler');
      app = pending;
      failures.length = 0;
      for (const release of held.splice(0)) release();
    },
    fail() {
      held.length = 0;
      // The refusals say `connection: close`, so their sockets end once sent; idle
      // keep-alive ones (a probe's) are closed here, and the process can exit.
      for (const refuse of failures.splice(0)) refuse();
      server.close();
      server.closeIdleConnections();
    },
  };
}

/** The probes, answered while the app loads; true when `req` was one of them. */
function probe(req: IncomingMessage, res: ServerResponse, now: () => number): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?')[0];
  if (path === '/healthz') {
    answer(res, 200, { status: 'ok', time: new Date(now()).toISOString() });
    return true;
  }
  if (path === '/readyz') {
    answer(res, 503, { error: { code: 'not_ready', message: 'not ready: kubelab is starting', details: null } });
    return true;
  }
  return false;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
