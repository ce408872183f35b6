// Embedded-cluster benchmarks (issue: embedded cluster, part 1), all through the real
// wire protocol with @kubernetes/client-node:
//  - cold start: startCluster() until it listens with its bootstrap objects in place;
//  - apply of the three-tier-shop solution until every Pod is Ready;
//  - list/watch throughput with 200 namespaces × 10 Pods, and the memory it takes.
// Run: node --import tsx bench/cluster.ts
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { startCluster, type RunningCluster } from '../kubesim/index.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../server/catalog/loader.ts';
import { formatRows, median, ms, percentile, timeEach } from './stats.ts';

export interface ClusterBenchOptions {
  coldStarts?: number;
  applyRuns?: number;
  namespaces?: number;
  podsPerNamespace?: number;
  listRuns?: number;
  watchEvents?: number;
}

interface Clients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
}

function clients(sim: RunningCluster): Clients {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), objects: KubernetesObjectApi.makeApiClient(kc) };
}

interface PodLike {
  metadata?: { name?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

const isReady = (pod: PodLike): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Resolve once `expected` Pods in the namespace are Ready, as a client would see it: list, then watch. */
async function waitForReadyPods(c: Clients, namespace: string, expected: number): Promise<void> {
  const ready = new Set<string>();
  const list = await c.core.listNamespacedPod({ namespace });
  for (const pod of list.items) if (isReady(pod)) ready.add(pod.metadata?.name ?? '');
  if (ready.size >= expected) return;
  await new Promise<void>((resolve, reject) => {
    let request: { abort(): void } | undefined;
    const finish = (err?: unknown) => {
      request?.abort();
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    };
    new Watch(c.kc)
      .watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { resourceVersion: list.metadata?.resourceVersion },
        (type: string, pod: PodLike) => {
          const name = pod.metadata?.name ?? '';
          if (type !== 'DELETED' && isReady(pod)) ready.add(name);
          else ready.delete(name);
          if (ready.size >= expected) finish();
        },
        (err: unknown) => { if (err && ready.size < expected) finish(err); },
      )
      .then((r) => { request = r; }, finish);
  });
}

async function coldStart(runs: number): Promise<number[]> {
  return timeEach(runs, async (i) => {
    const sim = await startCluster({ seed: i + 1 });
    await sim.close();
  });
}

async function applyThreeTierShop(sim: RunningCluster, runs: number): Promise<number[]> {
  const c = clients(sim);
  const exercise = (await loadCatalog(DEFAULT_EXERCISES_DIR)).byId('three-tier-shop');
  if (!exercise) throw new Error('three-tier-shop is missing from the catalog');
  const podCount = exercise.solution
    .map((m) => m.object)
    .filter((o) => o.kind === 'Deployment')
    .reduce((n, o) => n + Number((o['spec'] as { replicas?: number } | undefined)?.replicas ?? 1), 0);
  return timeEach(runs, async (i) => {
    const namespace = `bench-shop-${i}`;
    await c.core.createNamespace({ body: { metadata: { name: namespace } } });
    for (const m of exercise.solution) {
      const body = structuredClone(m.object) as KubernetesObject;
      body.metadata = { ...body.metadata, namespace };
      await c.objects.create(body);
    }
    await waitForReadyPods(c, namespace, podCount);
  });
}

async function populate(sim: RunningCluster, namespaces: number, pods: number): Promise<void> {
  const c = clients(sim);
  const batch = async (i: number) => {
    const namespace = `load-${i}`;
    await c.core.createNamespace({ body: { metadata: { name: namespace } } });
    await c.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: pods,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } },
        },
      },
    });
    await waitForReadyPods(c, namespace, pods);
  };
  // Ten at a time, as a class of learners applying at once would.
  for (let i = 0; i < namespaces; i += 10) await Promise.all(Array.from({ length: Math.min(10, namespaces - i) }, (_, k) => batch(i + k)));
}

async function watchThroughput(sim: RunningCluster, events: number): Promise<number> {
  const c = clients(sim);
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const req = await new Watch(c.kc).watch(
    '/api/v1/namespaces/load-0/configmaps',
    { resourceVersion: String(sim.store.resourceVersion) },
    () => { if (++seen === events) done(); },
    () => undefined,
  );
  const start = performance.now();
  for (let i = 0; i < events; i++) await c.core.createNamespacedConfigMap({ namespace: 'load-0', body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } } });
  await finished;
  const elapsed = performance.now() - start;
  req.abort();
  return (events / elapsed) * 1000;
}

export async function benchCluster(options: ClusterBenchOptions = {}): Promise<string> {
  const namespaces = options.namespaces ?? 200;
  const perNs = options.podsPerNamespace ?? 10;
  const out: string[][] = [];

  const cold = await coldStart(options.coldStarts ?? 5);
  out.push(['cold start (startCluster → listening, bootstrapped)', ms(median(cold)), ms(percentile(cold, 95)), String(cold.length)]);

  // A kubelet runs at most 110 Pods, so a cluster this size needs more than kind's two workers.
  const sim = await startCluster({ seed: 42, workers: Math.max(2, Math.ceil((namespaces * perNs) / 100)) });
  try {
    const shop = await applyThreeTierShop(sim, options.applyRuns ?? 5);
    out.push(['apply three-tier-shop solution → all 5 Pods Ready', ms(median(shop)), ms(percentile(shop, 95)), String(shop.length)]);

    const heapBefore = process.memoryUsage();
    const populateStart = performance.now();
    await populate(sim, namespaces, perNs);
    const populateMs = performance.now() - populateStart;
    global.gc?.();
    const heapAfter = process.memoryUsage();
    out.push([`create ${namespaces} namespaces × ${perNs} Pods (Deployments) → Ready`, ms(populateMs), '', '1']);

    const c = clients(sim);
    const listAll = await timeEach(options.listRuns ?? 20, () => c.core.listPodForAllNamespaces());
    out.push([`list all ${namespaces * perNs} Pods (-A)`, ms(median(listAll)), ms(percentile(listAll, 95)), String(listAll.length)]);
    const listOne = await timeEach((options.listRuns ?? 20) * 5, (i) => c.core.listNamespacedPod({ namespace: `load-${i % namespaces}` }));
    out.push([`list ${perNs} Pods of one namespace`, ms(median(listOne)), ms(percentile(listOne, 95)), String(listOne.length)]);

    const rate = await watchThroughput(sim, options.watchEvents ?? 500);
    const mib = (n: number) => (n / 2 ** 20).toFixed(0);
    const table = formatRows(['embedded cluster', 'median ms', 'p95 ms', 'runs'], out);
    return [
      table,
      `watch: ${rate.toFixed(0)} events/s delivered to a client-node watch while creating ConfigMaps one by one (bounded by the create round trips)`,
      `memory at ${namespaces}×${perNs}: rss ${mib(heapAfter.rss)} MiB (was ${mib(heapBefore.rss)}), heap used ${mib(heapAfter.heapUsed)} MiB (was ${mib(heapBefore.heapUsed)}), ${sim.store.count('pods')} Pods in the store`,
    ].join('\n');
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchCluster()}\n`);
}
