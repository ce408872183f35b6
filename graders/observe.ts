// One snapshot of a namespace: one LIST per kind, in parallel. Checks read only this,
// so a grade costs a fixed number of API requests however many checks it has.
import type * as z from './zod-mini.ts';
import type { ClusterClient, KubeObject } from './cluster/types.ts';
import { EndpointSliceSchema, EventSchema, PodSchema, ServiceSchema, WorkloadSchema } from './k8s/schemas.ts';
import { PROBE_LABEL } from './probes.ts';
import { GraderError, type Observed } from './types.ts';

const KINDS = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'v1', kind: 'Event' },
] as const;

export const OBSERVED_KINDS: readonly string[] = KINDS.map((k) => k.kind);

function parseAll<S extends z.ZodMiniType>(schema: S, kind: string, items: readonly KubeObject[]): z.output<S>[] {
  return items.map((item) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      // The cluster sent an object we cannot read: the grader's problem, not the learner's.
      throw new GraderError(`the cluster returned a ${kind} kubelab cannot read (${item.metadata.name ?? '?'}): ${parsed.error.issues[0]?.message ?? ''}`);
    }
    return parsed.data;
  });
}

export async function observe(client: ClusterClient, namespace: string): Promise<Observed> {
  const lists = await Promise.all(KINDS.map((k) => client.list({ ...k, namespace })));
  const raw = new Map<string, KubeObject[]>(KINDS.map((k, i) => [k.kind, lists[i] ?? []]));
  const get = (kind: string) => raw.get(kind) ?? [];
  const allPods = parseAll(PodSchema, 'Pod', get('Pod'));
  const isProbe = (p: { metadata: { labels: Record<string, string> } }) => p.metadata.labels[PROBE_LABEL] === 'true';
  return {
    namespace,
    pods: allPods.filter((p) => !isProbe(p)),
    probes: allPods.filter(isProbe),
    services: parseAll(ServiceSchema, 'Service', get('Service')),
    endpointSlices: parseAll(EndpointSliceSchema, 'EndpointSlice', get('EndpointSlice')),
    deployments: parseAll(WorkloadSchema, 'Deployment', get('Deployment')),
    replicaSets: parseAll(WorkloadSchema, 'ReplicaSet', get('ReplicaSet')),
    statefulSets: parseAll(WorkloadSchema, 'StatefulSet', get('StatefulSet')),
    events: parseAll(EventSchema, 'Event', get('Event')),
    raw,
  };
}
