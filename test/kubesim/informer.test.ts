// A client-node informer across a 410: its watch ends, it resumes from a
// resourceVersion the server no longer keeps, gets ERROR 410 Expired, relists and
// keeps its cache in sync. The cluster runs on a ManualClock so the watch ends
// exactly when the test advances time past the server's watch timeout.

import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kubesim/core/clock.ts';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';

const ns = 'informed';
const HISTORY = 20;
const WATCH_TIMEOUT_S = 60;

let cluster: RunningCluster;
let clock: ManualClock;
let kc: KubeConfig;
let core: CoreV1Api;

beforeAll(async () => {
  clock = new ManualClock();
  cluster = await startCluster({ seed: 13, clock, historySize: HISTORY, watch: { defaultTimeoutSeconds: WATCH_TIMEOUT_S } });
  kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(async () => {
  await cluster?.close();
});

const cm = (name: string, labels: Record<string, string> = {}): V1ConfigMap => ({ metadata: { name, labels }, data: { k: 'v' } });

describe('client-node informer across a 410', () => {
  it('relists after Expired and keeps delivering events', async () => {
    let lists = 0;
    const listWaiters: { count: number; resolve: () => void }[] = [];
    const listFn = async () => {
      const list = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=inf' });
      lists++;
      for (const w of listWaiters.filter((x) => lists >= x.count)) w.resolve();
      return list;
    };
    const listed = (count: number) => new Promise<void>((resolve) => { listWaiters.push({ count, resolve }); if (lists >= count) resolve(); });

    const informer = makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, listFn, 'app=inf');
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    const added = new Promise<string>((resolve) => informer.on('add', (o) => { if (o.metadata?.name === 'inf-2') resolve(o.metadata.name); }));

    await core.createNamespacedConfigMap({ namespace: ns, body: cm('inf-1', { app: 'inf' }) });
    await informer.start();
    expect(lists).toBe(1);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['inf-1']);

    // Changes the informer's selector does not match move the history past its resourceVersion.
    for (let i = 0; i < HISTORY; i++) {
      await core.createNamespacedConfigMap({ namespace: ns, body: cm(`noise-${i}`) });
      await core.deleteNamespacedConfigMap({ name: `noise-${i}`, namespace: ns });
    }
    // The server ends the watch at its timeout; resuming from the old version is Expired (410).
    clock.advance((WATCH_TIMEOUT_S + 1) * 1000);
    await listed(2);

    await core.createNamespacedConfigMap({ namespace: ns, body: cm('inf-2', { app: 'inf' }) });
    expect(await added).toBe('inf-2');
    expect(informer.list().map((o) => o.metadata?.name).sort()).toEqual(['inf-1', 'inf-2']);
    expect(errors).toEqual([]);
    await informer.stop();
  });
});
