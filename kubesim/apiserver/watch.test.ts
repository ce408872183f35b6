import { afterEach, describe, expect, it } from 'vitest';
import { at, startHarness, type Harness } from './testing/harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
  expect(h.errors).toEqual([]);
});

const cm = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, data: { a: '1' } });
const names = (events: { type: string; object: { metadata?: Record<string, unknown> } }[]) =>
  events.map((e) => `${e.type} ${String(e.object.metadata?.['name'] ?? e.object.metadata?.['resourceVersion'])}`);

describe('watch', () => {
  it('starts with synthetic ADDED for current objects, then streams live changes', async () => {
    h = await startHarness();
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('a'));
    const w = await h.watch('/api/v1/namespaces/default/configmaps?watch=1');
    expect(w.status).toBe(200);
    expect(names(await w.take(1))).toEqual(['ADDED a']);
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('b'));
    await h.call('DELETE', '/api/v1/namespaces/default/configmaps/a');
    const events = await w.take(3);
    expect(names(events)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(events[1]!.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    w.close();
  });

  it('resumes after a resourceVersion and answers 410 Expired for one too old', async () => {
    h = await startHarness({ historySize: 3 });
    const first = await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('a'));
    const rv = at(first.body, 'metadata.resourceVersion') as string;
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('b'));
    const resumed = await h.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    expect(names(await resumed.take(1))).toEqual(['ADDED b']);
    resumed.close();
    for (const n of ['c', 'd', 'e', 'f']) await h.call('POST', '/api/v1/namespaces/default/configmaps', cm(n));
    const expired = await h.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    const [err] = await expired.ended;
    expect(err).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(at(err!.object, 'message')).toMatch(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
  });

  it('turns selector transitions into ADDED and DELETED, as the watch cache does', async () => {
    h = await startHarness();
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('x', { tier: 'db' }));
    const w = await h.watch('/api/v1/configmaps?watch=1&labelSelector=tier%3Dweb');
    const patch = (tier: string) => h.call('PATCH', '/api/v1/namespaces/default/configmaps/x', { metadata: { labels: { tier } } }, { 'content-type': 'application/merge-patch+json' });
    await patch('web');
    await h.call('PATCH', '/api/v1/namespaces/default/configmaps/x', { data: { a: '2' } }, { 'content-type': 'application/merge-patch+json' });
    await patch('db');
    expect(names(await w.take(3))).toEqual(['ADDED x', 'MODIFIED x', 'DELETED x']);
    w.close();
  });

  it('ends at timeoutSeconds of clock time and sends bookmarks when allowed', async () => {
    h = await startHarness({ watch: { bookmarkIntervalMs: 1000 } });
    const w = await h.watch('/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=5&allowWatchBookmarks=true');
    h.clock.advance(1000);
    const [bm] = await w.take(1);
    expect(bm).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1' } });
    h.clock.advance(4000);
    const all = await w.ended;
    expect(all.every((e) => e.type === 'BOOKMARK')).toBe(true);
    expect(h.clock.pending()).toBe(0);
  });

  it('sends one-row Tables when asked, with column definitions only on the first event', async () => {
    h = await startHarness();
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('a'));
    const w = await h.watch('/api/v1/namespaces/default/configmaps?watch=1', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('b'));
    const [first, second] = await w.take(2);
    expect(first!.object['kind']).toBe('Table');
    expect((first!.object['columnDefinitions'] as unknown[]).length).toBeGreaterThan(0);
    expect((second!.object['columnDefinitions'] as unknown[] | undefined) ?? []).toEqual([]);
    expect(at(second!.object, 'rows.0.cells.0')).toBe('b');
    w.close();
  });

  it('unsubscribes when the client goes away', async () => {
    h = await startHarness();
    const w = await h.watch('/api/v1/namespaces/default/configmaps?watch=1');
    expect(h.clock.pending()).toBe(1);
    w.close();
    await new Promise<void>((resolve) => {
      const check = (): void => { if (h.clock.pending() === 0) resolve(); else setImmediate(check); };
      check();
    });
    expect(h.clock.pending()).toBe(0);
  });
  it('answers a watch or list from a future resourceVersion with 504 Timeout after waiting 3 s of clock time', async () => {
    h = await startHarness();
    const future = h.store.resourceVersion + 100;
    const timerSet = (): Promise<void> => new Promise((resolve) => {
      const check = (): void => { if (h.clock.pending() > 0) resolve(); else setImmediate(check); };
      check();
    });
    for (const path of [
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${future}`,
      `/api/v1/namespaces/default/configmaps?resourceVersion=${future}&resourceVersionMatch=NotOlderThan`,
    ]) {
      const pending = h.call('GET', path);
      await timerSet();
      h.clock.advance(2999);
      h.clock.advance(1);
      const r = await pending;
      expect(r.status).toBe(504);
      expect(r.body).toEqual({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 504, reason: 'Timeout',
        message: `Timeout: Too large resource version: ${future}, current: ${h.store.resourceVersion}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      });
    }
    expect(h.clock.pending()).toBe(0);
  });

  it('starts a watch from a near-future resourceVersion once the store reaches it', async () => {
    h = await startHarness();
    const next = h.store.resourceVersion + 1;
    const pending = h.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${next}`);
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('a'));
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('b'));
    const w = await pending;
    expect(w.status).toBe(200);
    expect(names(await w.take(1))).toEqual(['ADDED b']);
    w.close();
  });
});
