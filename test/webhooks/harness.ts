// What the webhook tests share: a real receiver on 127.0.0.1:0 that verifies each
// request with the independent `standardwebhooks` package, a clock and wake-ups the
// test moves by hand, and kubelab's own pieces (SQLite file, Webhooks service, or the
// whole app as `kubelab serve` builds it) opened on a data dir the test keeps, so it
// can close and open again on the same file.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../server/app.ts';
import { loadCatalog, type Catalog } from '../../server/catalog/loader.ts';
import { loadConfig, type Config } from '../../server/config/config.ts';
import { databaseFile, openDatabase, type Db } from '../../server/db/database.ts';
import { startPlatform, type Platform } from '../../server/platform.ts';
import type { WakeAt } from '../../server/webhooks/dispatcher.ts';
import { Webhooks, type WebhooksOptions } from '../../server/webhooks/service.ts';
import { SIM_TIMING } from '../graders/harness.ts';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How the receiver answers one request: a status, or never (until it closes). */
export type Answer = number | 'hang';

export class Receiver {
  readonly received: Received[] = [];
  readonly #answers: Answer[] = [];
  readonly #hanging = new Set<ServerResponse>();
  #server: Server | undefined;
  url = '';

  /** Queue the answers of the next requests; after them it answers 200. */
  answer(...answers: Answer[]): this {
    this.#answers.push(...answers);
    return this;
  }

  async start(path = '/hook'): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(r);
        const answer = this.#answers.shift() ?? 200;
        if (answer === 'hang') this.#hanging.add(res);
        else res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** The payload if `secret` verifies the request, else the verification error (as a value). */
export function verify(secret: string, r: Received): { ok: true; payload: unknown } | { ok: false; error: string } {
  try {
    const headers = {
      'webhook-id': String(r.headers['webhook-id']),
      'webhook-timestamp': String(r.headers['webhook-timestamp']),
      'webhook-signature': String(r.headers['webhook-signature']),
    };
    return { ok: true, payload: new Webhook(secret).verify(r.body, headers) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A clock that moves only when told, and the dispatcher's wake-ups on it. It starts at
 * the real time because standardwebhooks checks timestamps against the real clock
 * (±5 minutes); tests move it by seconds, never past that.
 */
export class ManualTime {
  t = Math.floor(Date.now() / 1000) * 1000;
  readonly wakeups: { at: number; fn: () => void; cancelled: boolean }[] = [];
  readonly now = (): number => this.t;
  readonly wakeAt: WakeAt = (at, fn) => {
    const w = { at, fn, cancelled: false };
    this.wakeups.push(w);
    return () => {
      w.cancelled = true;
    };
  };

  /** The earliest wake-up still set. */
  nextWakeup(): number | undefined {
    const live = this.wakeups.filter((w) => !w.cancelled).map((w) => w.at);
    return live.length === 0 ? undefined : Math.min(...live);
  }

  /** Move to `t` and fire the wake-ups due by then. */
  advanceTo(t: number): void {
    this.t = t;
    for (const w of this.wakeups.filter((x) => !x.cancelled && x.at <= t)) {
      w.cancelled = true;
      w.fn();
    }
  }
}

/** Jitter's random source pinned to the middle: the plain backoff schedule. */
export const NO_JITTER = (): number => 0.5;

export interface OpenedWebhooks {
  readonly db: Db;
  readonly webhooks: Webhooks;
  /** Background failures the dispatcher reported; a test expects none unless it says so. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** kubelab's SQLite file and the Webhooks service on it, started as the platform starts it. */
export function openWebhooks(dataDir: string, time: ManualTime, options: Partial<WebhooksOptions> = {}): OpenedWebhooks {
  const db = openDatabase(databaseFile(dataDir), { now: time.now });
  const errors: string[] = [];
  const webhooks = new Webhooks({
    db, dataDir, allowPrivate: true, now: time.now, wakeAt: time.wakeAt, random: NO_JITTER, userAgent: 'kubelab-test',
    onError: (message) => errors.push(message),
    ...options,
  });
  webhooks.start();
  return { db, webhooks, errors, close: async () => { await webhooks.close(); db.close(); } };
}

export interface WebhookApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  readonly platform: Platform;
  close(): Promise<void>;
}

/** The whole app as test/helpers/app.ts builds it, but on a data dir the caller owns. */
export async function startWebhookApp(dataDir: string, time: ManualTime, env: Record<string, string> = {}): Promise<WebhookApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', KUBELAB_EMBEDDED_SPEED: '100', ...env, KUBELAB_DATA_DIR: dataDir });
  const db = openDatabase(databaseFile(config.dataDir), { now: time.now });
  let platform: Platform | undefined;
  try {
    const catalog = await loadCatalog(config.exercisesDir);
    platform = await startPlatform({
      config, db, catalog, now: time.now,
      embedded: { startOptions: { seed: 1 } },
      timing: SIM_TIMING,
      reaperScheduler: { every: () => () => undefined },
      webhooks: { wakeAt: time.wakeAt, random: NO_JITTER },
    });
    const app = await buildApp({ config, db, catalog, now: time.now, platform });
    const started = platform;
    return {
      app, config, db, catalog, platform: started,
      close: async () => {
        await app.close();
        await started.close();
        db.close();
      },
    };
  } catch (error) {
    await platform?.close();
    db.close();
    throw error;
  }
}
