// What webhooks cost (issue 15): writing an event into the outbox inside the verdict's
// transaction (the part a grade waits for), and the dispatcher's throughput and
// enqueue-to-receipt latency to a receiver on loopback, real timers and real SQLite.
// Run: npm run bench -- webhooks
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseFile, openDatabase } from '../server/db/database.ts';
import { Webhooks } from '../server/webhooks/service.ts';
import { formatRows, median, ms, percentile } from './stats.ts';

export interface WebhooksBenchOptions {
  events?: number;
  endpoints?: number;
}

export async function benchWebhooks(o: WebhooksBenchOptions = {}): Promise<string> {
  const events = o.events ?? 500;
  const endpoints = o.endpoints ?? 4;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-webhooks-'));
  let received = 0;
  // Resolves once the receiver has had `total` requests in all.
  let waiter: { total: number; resolve: () => void } | undefined;
  const receivedAll = (total: number) => new Promise<void>((resolve) => {
    if (received >= total) resolve();
    else waiter = { total, resolve };
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204).end();
      received++;
      if (waiter && received >= waiter.total) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const db = openDatabase(databaseFile(dir));
  const webhooks = new Webhooks({ db, dataDir: dir, allowPrivate: true, now: Date.now, userAgent: 'kubelab-bench' });
  try {
    const admin = db.users.create({ externalKey: 'local:admin', displayName: 'admin', role: 'admin' });
    const learner = db.users.create({ externalKey: 'local:lee', displayName: 'lee', role: 'learner' });
    const env = db.environments.create({ userId: learner.id, exerciseId: 'clusterip-basics', namespace: 'lab-bench', expiresAt: Date.now() });
    for (let i = 0; i < endpoints; i++) await webhooks.create({ id: admin.id, role: 'admin' }, { url, classId: null, eventTypes: ['attempt.completed'] });
    const attempts = Array.from({ length: events }, () => db.attempts.create({ userId: learner.id, environmentId: env.id, exerciseId: 'clusterip-basics', maxScore: 10 }));

    // The verdict write alone, then with the outbox rows in the same transaction. The
    // loop never yields, so the dispatcher (poked in a microtask) sends nothing meanwhile.
    const plain: number[] = [];
    const withOutbox: number[] = [];
    for (const [i, attempt] of attempts.entries()) {
      const start = performance.now();
      if (i % 2 === 0) {
        db.transaction(() => db.attempts.finish(attempt.id, { result: 'failed', score: 1 }));
        plain.push(performance.now() - start);
      } else {
        db.transaction(() => webhooks.attemptFinished(db.attempts.finish(attempt.id, { result: 'failed', score: 1 })));
        withOutbox.push(performance.now() - start);
      }
    }
    // The even ones' events too, then time the drain of the whole backlog.
    for (const attempt of attempts.filter((_, i) => i % 2 === 0)) db.transaction(() => webhooks.attemptFinished(db.attempts.select(attempt.id)));
    const drainStart = performance.now();
    webhooks.start();
    await receivedAll(events * endpoints);
    const drainSeconds = (performance.now() - drainStart) / 1000;

    // With the outbox empty: one event at a time, written → every endpoint has it.
    const latencies: number[] = [];
    for (const attempt of attempts.slice(0, 50)) {
      const start = performance.now();
      db.transaction(() => webhooks.attemptFinished(db.attempts.select(attempt.id)));
      await receivedAll(received + endpoints);
      latencies.push(performance.now() - start);
    }
    return [
      `${events} events × ${endpoints} server-wide endpoints, receiver on 127.0.0.1 answering 204`,
      formatRows(['measure', 'median', 'p95'], [
        ['verdict transaction alone (ms)', ms(median(plain)), ms(percentile(plain, 95))],
        [`verdict + ${endpoints} outbox rows (ms)`, ms(median(withOutbox)), ms(percentile(withOutbox, 95))],
        [`one event written → all ${endpoints} endpoints have it (ms)`, ms(median(latencies)), ms(percentile(latencies, 95))],
      ]),
      `backlog of ${events * endpoints} deliveries drained at ${((events * endpoints) / drainSeconds).toFixed(0)}/s (concurrency 4, a log row each)`,
    ].join('\n');
  } finally {
    await webhooks.close();
    db.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${await benchWebhooks()}\n`);
