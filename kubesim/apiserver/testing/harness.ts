// Builds the API server for unit tests from a bare store: no strategies, no
// admission, and the real auth module (createAuth) whose admin token the harness
// sends by default, so the authenticator and authorizer under test are the
// production ones. The cluster-level suites in test/kubesim use startCluster().

import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { ManualClock, seededRng } from '../../core/clock.ts';
import { Store } from '../../core/store.ts';
import type { ResourceBehaviour } from '../../core/strategy.ts';
import { createAuth } from '../auth/index.ts';
import type { ApiServerDeps } from '../context.ts';
import { createApiServer, type ApiServer } from '../server.ts';

/** The admin token the harness's createAuth accepts (kubernetes-admin, system:masters). */
export const TEST_TOKEN = 'unit-test-admin-token';

export const noBehaviour: ResourceBehaviour = { strategyFor: () => undefined, admission: [] };

export interface Reply {
  status: number;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown> & { metadata?: Record<string, unknown> };
}

export interface WatchStream {
  status: number;
  /** Resolves once `count` events in total have arrived (or rejects if the stream ends first). */
  take(count: number): Promise<WatchEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<WatchEvent[]>;
  close(): void;
}

/** Read a dotted path ("metadata.name", "items.0.kind") from a JSON value. */
export function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export interface Harness {
  url: string;
  store: Store;
  clock: ManualClock;
  api: ApiServer;
  /** The server's auth (real createAuth unless overridden): issue ServiceAccount tokens with it. */
  auth: ApiServerDeps['auth'];
  /** Errors the server reported (500s, socket errors): tests expect none. */
  errors: unknown[];
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  watch(path: string, headers?: Record<string, string>): Promise<WatchStream>;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<ApiServerDeps> & { historySize?: number } = {}): Promise<Harness> {
  const clock = new ManualClock();
  const store = overrides.store ?? new Store({ clock, historySize: overrides.historySize });
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  const errors: unknown[] = [];
  const auth = overrides.auth ?? createAuth({ store, clock, adminToken: TEST_TOKEN });
  const api = createApiServer({ store, clock, rng: seededRng(1), behaviour: noBehaviour, ...overrides, auth }, { onError: (e) => errors.push(e) });
  const url = await api.listen(0, '127.0.0.1');
  const call: Harness['call'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(url + path, {
        method,
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json',
          ...(text === undefined ? {} : { 'content-length': String(Buffer.byteLength(text)) }), ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
          const parsed: unknown = isJson ? JSON.parse(raw) : raw;
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.end(text);
    });
  const watch: Harness['watch'] = (path, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = request(url + path, { headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers } }, (res) => {
        const events: WatchEvent[] = [];
        const waiters: { count: number; resolve: (e: WatchEvent[]) => void; reject: (e: Error) => void }[] = [];
        let buffered = '';
        let done = false;
        const settle = (): void => {
          for (const w of [...waiters]) {
            if (events.length >= w.count) w.resolve(events.slice(0, w.count));
            else if (done) w.reject(new Error(`watch ended after ${events.length} events, wanted ${w.count}: ${JSON.stringify(events)}`));
            else continue;
            waiters.splice(waiters.indexOf(w), 1);
          }
        };
        let endResolve: (e: WatchEvent[]) => void = () => undefined;
        const ended = new Promise<WatchEvent[]>((r) => { endResolve = r; });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
          }
          settle();
        });
        const finish = (): void => {
          done = true;
          settle();
          endResolve(events);
        };
        res.on('end', finish);
        res.on('close', finish);
        resolve({
          status: res.statusCode ?? 0,
          take: (count) => new Promise((res2, rej2) => { waiters.push({ count, resolve: res2, reject: rej2 }); settle(); }),
          ended,
          close: () => req.destroy(),
        });
      });
      req.on('error', (e) => reject(e));
      req.end();
    });
  return { url, store, clock, api, auth, call, watch, errors, close: () => api.close() };
}
