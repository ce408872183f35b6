// One live view per open exercise page: four informers (nodes, and the Pods, Services and
// EndpointSlices of one namespace) under the learner's own credentials, so RBAC keeps the
// view inside their namespace. Every change schedules one redraw; a burst of events (a
// rollout) becomes a single message.
import { CoreV1Api, DiscoveryV1Api, KubeConfig, makeInformer, type Informer, type KubernetesObject } from '@kubernetes/client-node';
import type { LiveView } from './view-types.ts';
import { buildLiveView } from './view.ts';

export interface LiveWatchOptions {
  /** A kubeconfig (YAML) for the learner's ServiceAccount, as kubelab reaches the cluster. */
  readonly kubeconfig: string;
  readonly namespace: string;
  readonly onView: (view: LiveView) => void;
  /** The watch cannot go on (token expired, cluster gone); the caller ends the stream. */
  readonly onError: (error: unknown) => void;
  /** How long changes are gathered before a redraw (ms). */
  readonly coalesceMs?: number;
}

export interface LiveWatch {
  stop(): Promise<void>;
}

export async function watchNamespace(o: LiveWatchOptions): Promise<LiveWatch> {
  const kc = new KubeConfig();
  kc.loadFromString(o.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const ns = encodeURIComponent(o.namespace);
  const nodes = makeInformer(kc, '/api/v1/nodes', () => core.listNode());
  const pods = makeInformer(kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: o.namespace }));
  const services = makeInformer(kc, `/api/v1/namespaces/${ns}/services`, () => core.listNamespacedService({ namespace: o.namespace }));
  const slices = makeInformer(kc, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, () => discovery.listNamespacedEndpointSlice({ namespace: o.namespace }));
  const informers = [nodes, pods, services, slices];

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    if (stopped) return;
    o.onView(
      buildLiveView({
        namespace: o.namespace,
        nodes: nodes.list(),
        pods: pods.list(),
        services: services.list(),
        slices: slices.list(),
      }),
    );
  };
  const schedule = () => {
    if (!stopped && timer === undefined) timer = setTimeout(draw, o.coalesceMs ?? 100);
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    await Promise.allSettled(informers.map((i) => i.stop()));
  };
  const follow = <T extends KubernetesObject>(informer: Informer<T>) => {
    informer.on('add', schedule);
    informer.on('update', schedule);
    informer.on('delete', schedule);
    informer.on('error', (error: unknown) => {
      if (stopped) return;
      void stop();
      o.onError(error);
    });
  };
  follow(nodes);
  follow(pods);
  follow(services);
  follow(slices);
  try {
    await Promise.all(informers.map((i) => i.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  // The first picture, even for a namespace where nothing happens.
  draw();
  return { stop };
}
