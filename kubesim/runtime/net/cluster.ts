// Read-side helpers over the store for DNS and kube-proxy: Services by name or IP,
// their EndpointSlices, Pods by IP, and namespace labels.

import type { Store } from '../../core/store.ts';
import { EndpointSliceSchema, parsePod, ServiceSchema, type EndpointSliceView, type PodView, type ServiceView } from '../podspec.ts';

export class ClusterView {
  constructor(readonly store: Store) {}

  service(ns: string, name: string): ServiceView | undefined {
    const s = this.store.get('services', ns, name);
    return s ? ServiceSchema.parse(s) : undefined;
  }

  serviceByIP(ip: string): ServiceView | undefined {
    for (const s of this.store.scan('services')) {
      const v = ServiceSchema.parse(s);
      if (v.spec.clusterIP === ip || v.spec.clusterIPs?.includes(ip)) return v;
    }
    return undefined;
  }

  slices(ns: string, service: string): EndpointSliceView[] {
    return this.store
      .scan('discovery.k8s.io/endpointslices', ns)
      .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === service)
      .map((s) => EndpointSliceSchema.parse(s));
  }

  podByIP(ip: string): PodView | undefined {
    for (const p of this.store.scan('pods')) {
      const st = (p['status'] ?? {}) as { podIP?: unknown; phase?: unknown };
      if (st.podIP === ip && st.phase !== 'Succeeded' && st.phase !== 'Failed') return parsePod(p);
    }
    return undefined;
  }

  namespaceExists(ns: string): boolean {
    return this.store.get('namespaces', undefined, ns) !== undefined || this.store.count('services', ns) > 0 || this.store.count('pods', ns) > 0;
  }

  /** Namespace labels, with kubernetes.io/metadata.name set as the apiserver always does. */
  namespaceLabels(ns: string): Record<string, string> {
    const obj = this.store.get('namespaces', undefined, ns);
    return { ...(obj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
  }
}

/** Ready endpoints: conditions.ready nil counts as ready (discovery/v1 EndpointConditions). */
export function isReady(ep: NonNullable<EndpointSliceView['endpoints']>[number]): boolean {
  return ep.conditions?.ready !== false;
}
