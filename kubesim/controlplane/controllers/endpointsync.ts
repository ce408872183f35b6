// The thin controllers around desiredEndpointSlices / desiredEndpointSubsets: find the
// Services a change concerns, write what the pure functions say, reuse existing
// slices with the same port set so names stay stable.

import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { labelsMatch, stableJson, strMap, at } from '../util/obj.ts';
import { desiredEndpointSubsets } from './endpoints.ts';
import { desiredEndpointSlices, managesEndpoints, MANAGED_BY } from './endpointslices.ts';
import { objKey, ownerRefTo, splitKey } from './helpers.ts';

const SLICES = 'discovery.k8s.io/endpointslices';

function serviceKeysFor(ctx: ControllerContext, event: StoreEvent): string[] {
  if (event.resource === 'services') return [objKey(event.object)];
  if (event.resource === 'pods') {
    const ns = event.object.metadata.namespace;
    const labelSets = [event.object.metadata.labels ?? {}, event.old?.metadata.labels ?? {}];
    return ctx.store
      .scan('services', ns)
      .filter((svc) => labelSets.some((l) => labelsMatch(strMap(at(svc, 'spec', 'selector')), l)))
      .map(objKey);
  }
  if (event.resource === SLICES && event.type === 'DELETED') {
    const svc = event.object.metadata.labels?.['kubernetes.io/service-name'];
    return svc ? [`${event.object.metadata.namespace ?? ''}/${svc}`] : [];
  }
  if (event.resource === 'endpoints' && event.type === 'DELETED') return [objKey(event.object)];
  return [];
}

export function endpointSliceController(ctx: ControllerContext): Controller {
  return {
    name: 'endpointslice-controller',
    keysFor: (event) => serviceKeysFor(ctx, event),
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const svc = ctx.store.get('services', namespace, name);
      const existing = ctx.store
        .list(SLICES, namespace)
        .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY);
      const desired = svc && !svc.metadata.deletionTimestamp ? desiredEndpointSlices(svc, ctx.store.scan('pods', namespace), ctx.store.scan('nodes')) : [];
      const unused = [...existing];
      for (const want of desired) {
        const i = unused.findIndex((s) => stableJson(s.ports) === stableJson(want.ports));
        const body = { addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports };
        if (i >= 0) {
          const slice = unused.splice(i, 1)[0]!;
          const next: StoredObject = { ...slice, ...body, metadata: { ...slice.metadata, labels: want.labels } };
          ctx.client.updateIfChanged(SLICES, next);
        } else if (svc) {
          ctx.client.create(SLICES, {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { generateName: `${name}-`, namespace, labels: want.labels, ownerReferences: [ownerRefTo(svc)] },
            ...body,
          }, 'endpointslice-controller');
        }
      }
      for (const s of unused) ctx.store.remove(SLICES, namespace, s.metadata.name);
    },
  };
}

export function endpointsController(ctx: ControllerContext): Controller {
  return {
    name: 'endpoint-controller',
    keysFor: (event) => serviceKeysFor(ctx, event),
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const svc = ctx.store.get('services', namespace, name);
      const current = ctx.store.get('endpoints', namespace, name);
      if (!svc || svc.metadata.deletionTimestamp) {
        // Endpoints of a deleted Service go with it (the controller deletes them by name).
        if (current && !svc) ctx.store.remove('endpoints', namespace, name);
        return;
      }
      if (!managesEndpoints(svc)) return;
      const subsets = desiredEndpointSubsets(svc, ctx.store.scan('pods', namespace));
      const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
      if (at(svc, 'spec', 'clusterIP') === 'None') labels['service.kubernetes.io/headless'] = '';
      if (!current) {
        ctx.client.create('endpoints', {
          apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, ...(subsets.length ? { subsets } : {}),
        }, 'endpoint-controller');
        return;
      }
      const next: StoredObject = { ...current, metadata: { ...current.metadata, labels } };
      if (subsets.length) next.subsets = subsets;
      else delete next.subsets;
      ctx.client.updateIfChanged('endpoints', next);
    },
  };
}
