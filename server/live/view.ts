// From the objects a watch holds to the live view a learner reads: Pods grouped by
// node, and each Service with its selector, the Pods it matches and its endpoints as
// the EndpointSlices list them (ready / serving / terminating, and where).
import type { LiveEndpoint, LivePod, LiveService, LiveView } from './view-types.ts';

/** The parts of the Kubernetes objects the view reads; everything optional, as on the wire. */
export interface PodLike {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type?: string; status?: string }[];
    containerStatuses?: { restartCount?: number; ready?: boolean; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
  };
}
export interface NodeLike {
  metadata?: { name?: string };
  status?: { conditions?: { type?: string; status?: string }[] };
}
export interface ServiceLike {
  metadata?: { name?: string };
  spec?: {
    type?: string;
    clusterIP?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port?: number; targetPort?: number | string; protocol?: string }[];
    sessionAffinity?: string;
    internalTrafficPolicy?: string;
  };
}
export interface EndpointSliceLike {
  metadata?: { labels?: Record<string, string> };
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; targetRef?: { name?: string } }[];
}

/** Pods kubelab itself runs in a learner's namespace; no exercise is about them. */
const PLATFORM_LABELS = ['kubelab.io/probe', 'kubelab.io/workspace'];

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** STATUS as kubectl prints it, close enough for a lab: the waiting/terminated reason wins. */
function podStatus(pod: PodLike): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  for (const c of pod.status?.containerStatuses ?? []) {
    const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (reason) return reason;
  }
  return pod.status?.phase ?? 'Pending';
}

function livePod(pod: PodLike): LivePod {
  return {
    name: pod.metadata?.name ?? '',
    node: pod.spec?.nodeName ?? null,
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    status: podStatus(pod),
    restarts: (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
    ip: pod.status?.podIP ?? null,
    labels: pod.metadata?.labels ?? {},
  };
}

function liveService(svc: ServiceLike, namespace: string, pods: readonly LivePod[], slices: readonly EndpointSliceLike[]): LiveService {
  const name = svc.metadata?.name ?? '';
  const spec = svc.spec ?? {};
  const selectorEntries = spec.selector ? Object.entries(spec.selector) : [];
  const selector = selectorEntries.length === 0 ? null : selectorEntries.map(([key, value]) => ({ key, value, matchesAny: pods.some((p) => p.labels[key] === value) }));
  const matchingPods = selector === null ? 0 : pods.filter((p) => selector.every((t) => p.labels[t.key] === t.value)).length;
  const endpoints: LiveEndpoint[] = slices
    .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === name)
    .flatMap((s) => s.endpoints ?? [])
    .map((e) => ({
      ip: e.addresses?.[0] ?? '',
      // EndpointSlice conditions: a nil `ready` means ready (discovery/v1 API docs).
      ready: e.conditions?.ready ?? true,
      serving: e.conditions?.serving ?? e.conditions?.ready ?? true,
      terminating: e.conditions?.terminating ?? false,
      node: e.nodeName ?? null,
      pod: e.targetRef?.name ?? null,
    }))
    .sort((a, b) => (a.pod ?? a.ip).localeCompare(b.pod ?? b.ip));
  return {
    name,
    type: spec.type ?? 'ClusterIP',
    clusterIP: spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : null,
    headless: spec.clusterIP === 'None',
    dns: `${name}.${namespace}.svc.cluster.local`,
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? null, port: p.port ?? 0, targetPort: String(p.targetPort ?? p.port ?? ''), protocol: p.protocol ?? 'TCP' })),
    selector,
    matchingPods,
    sessionAffinity: spec.sessionAffinity ?? 'None',
    internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
    endpoints,
  };
}

export function buildLiveView(input: { namespace: string; nodes: readonly NodeLike[]; pods: readonly PodLike[]; services: readonly ServiceLike[]; slices: readonly EndpointSliceLike[] }): LiveView {
  const pods = input.pods
    .filter((p) => !PLATFORM_LABELS.some((l) => p.metadata?.labels?.[l] !== undefined))
    .map(livePod)
    .sort(byName);
  const nodes = input.nodes
    .map((n) => ({ name: n.metadata?.name ?? '', ready: n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false }))
    .sort(byName)
    .map((n) => ({ ...n, pods: pods.filter((p) => p.node === n.name) }));
  const known = new Set(nodes.map((n) => n.name));
  return {
    namespace: input.namespace,
    nodes,
    unscheduled: pods.filter((p) => p.node === null || !known.has(p.node)),
    services: input.services.map((s) => liveService(s, input.namespace, pods, input.slices)).sort(byName),
  };
}
