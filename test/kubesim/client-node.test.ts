// @kubernetes/client-node 1.4 against the embedded cluster: typed CRUD, patch,
// selectors, paging, Watch (live, resumed, expired) and an informer.

import {
  CoreV1Api, KubeConfig, PatchStrategy, Watch, makeInformer, setHeaderOptions, type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';

let cluster: RunningCluster;
let kc: KubeConfig;
let core: CoreV1Api;
const ns = 'client';

beforeAll(async () => {
  cluster = await startCluster({ seed: 11, historySize: 100 });
  await cluster.controlPlane.idle();
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(async () => {
  await cluster?.close();
});

const cm = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({ metadata: { name, labels }, data: { k: 'v' } });

interface Seen { type: string; name: string | undefined }

/** Start a watch and collect its events; `until` resolves once `count` have arrived. */
async function watchEvents(path: string, params: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  const objects: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let ended: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((r) => { ended = r; });
  const controller = await new Watch(kc).watch(path, params, (type, obj: { metadata?: { name?: string } }) => {
    events.push({ type, name: obj?.metadata?.name });
    objects.push(obj);
    for (const w of [...waiters]) if (events.length >= w.count) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  }, (err) => ended(err));
  return {
    events, objects, done,
    until: (count: number) => new Promise<void>((resolve) => { waiters.push({ count, resolve }); if (events.length >= count) resolve(); }),
    abort: () => controller.abort(),
  };
}

describe('client-node against kubesim', () => {
  it('creates, reads, patches and deletes with the typed API', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: cm('one', { tier: 'web' }) });
    expect(created.metadata?.uid).toBeTruthy();
    const patched = await core.patchNamespacedConfigMap(
      { name: 'one', namespace: ns, body: { data: { k: 'changed' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ k: 'changed' });
    const jsonPatched = await core.patchNamespacedConfigMap({ name: 'one', namespace: ns, body: [{ op: 'add', path: '/data/extra', value: 'x' }] });
    expect(jsonPatched.data?.['extra']).toBe('x');
    await core.deleteNamespacedConfigMap({ name: 'one', namespace: ns });
    await expect(core.readNamespacedConfigMap({ name: 'one', namespace: ns })).rejects.toMatchObject({ code: 404 });
  });

  it('filters by label and field selectors and pages with limit/continue', async () => {
    for (const [n, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web']] as const) {
      await core.createNamespacedConfigMap({ namespace: ns, body: cm(`sel-${n}`, { tier }) });
    }
    const web = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'tier=web' });
    expect(web.items.map((i) => i.metadata?.name)).toEqual(['sel-a', 'sel-c']);
    const byName = await core.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=sel-b' });
    expect(byName.items).toHaveLength(1);
    const page = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'tier', limit: 2 });
    expect(page.items).toHaveLength(2);
    const rest = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'tier', limit: 2, _continue: page.metadata?._continue });
    expect(rest.items.map((i) => i.metadata?.name)).toEqual(['sel-c']);
    await expect(core.listNamespacedPod({ namespace: ns, fieldSelector: 'spec.bogus=1' })).rejects.toMatchObject({ code: 400 });
  });

  it('watches live, resumes from a resourceVersion, and gets 410 for an expired one', async () => {
    const start = await core.listNamespacedConfigMap({ namespace: ns });
    const rv = start.metadata?.resourceVersion ?? '';
    const live = await watchEvents(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'app=watched', resourceVersion: rv });
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('w1', { app: 'watched' }) });
    await core.patchNamespacedConfigMap({ name: 'w1', namespace: ns, body: { data: { k: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: ns });
    await live.until(3);
    expect(live.events).toEqual([{ type: 'ADDED', name: 'w1' }, { type: 'MODIFIED', name: 'w1' }, { type: 'DELETED', name: 'w1' }]);
    live.abort();

    const resumed = await watchEvents(`/api/v1/namespaces/${ns}/configmaps`, { labelSelector: 'app=watched', resourceVersion: rv });
    await resumed.until(3);
    expect(resumed.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    resumed.abort();

    // Push the history past its 100 entries, then ask for the old version again.
    for (let i = 0; i < 55; i++) {
      await core.createNamespacedConfigMap({ namespace: ns, body: cm(`fill-${i}`) });
      await core.deleteNamespacedConfigMap({ name: `fill-${i}`, namespace: ns });
    }
    const expired = await watchEvents(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: rv });
    await expired.done;
    expect(expired.events[0]?.type).toBe('ERROR');
    expect(expired.objects[0]).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('keeps an informer cache in sync', async () => {
    const informer = makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=inf' }), 'app=inf');
    const added = new Promise<string>((resolve) => informer.on('add', (obj) => { if (obj.metadata?.name === 'inf-2') resolve(obj.metadata.name); }));
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('inf-1', { app: 'inf' }) });
    await informer.start();
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['inf-1']);
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('inf-2', { app: 'inf' }) });
    expect(await added).toBe('inf-2');
    await informer.stop();
  });
});
