import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.ts';

const docs = buildOpenApi().documents;
const doc = (key: string) => JSON.parse(docs.get(key)!.body) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, Record<string, unknown>> } };
const field = (schema: string, name: string) => {
  for (const key of docs.keys()) {
    const s = doc(key).components.schemas[schema];
    if (s) return (s['properties'] as Record<string, Record<string, unknown>>)[name]!;
  }
  throw new Error(`no schema ${schema}`);
};

describe('OpenAPI v3 schemas', () => {
  it.each([
    ['api/v1', ['Pod', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'Namespace'], 'io.k8s.api.core.v1.', ''],
    ['apis/apps/v1', ['Deployment', 'ReplicaSet', 'StatefulSet'], 'io.k8s.api.apps.v1.', 'apps'],
    ['apis/discovery.k8s.io/v1', ['EndpointSlice'], 'io.k8s.api.discovery.v1.', 'discovery.k8s.io'],
  ])('%s carries its kinds with their group-version-kind', (key, kinds, prefix, group) => {
    const schemas = doc(key).components.schemas;
    for (const kind of kinds) expect(schemas[prefix + kind]?.['x-kubernetes-group-version-kind']).toEqual([{ group, kind, version: 'v1' }]);
  });

  it('resolves every $ref inside the document that holds it, as kubectl explain needs', () => {
    for (const key of docs.keys()) {
      const d = doc(key);
      const refs = [...JSON.stringify(d.components).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      for (const ref of refs) expect(d.components.schemas, `${key}: ${ref}`).toHaveProperty([ref]);
    }
  });

  // Struct tags of k8s.io/api v0.32 (patchStrategy, patchMergeKey, +listType, +listMapKey).
  it.each([
    ['io.k8s.api.core.v1.PodSpec', 'containers', 'merge', 'name', ['name']],
    ['io.k8s.api.core.v1.PodSpec', 'initContainers', 'merge', 'name', ['name']],
    ['io.k8s.api.core.v1.PodSpec', 'volumes', 'merge,retainKeys', 'name', ['name']],
    ['io.k8s.api.core.v1.Container', 'ports', 'merge', 'containerPort', ['containerPort', 'protocol']],
    ['io.k8s.api.core.v1.Container', 'env', 'merge', 'name', ['name']],
    ['io.k8s.api.core.v1.Container', 'volumeMounts', 'merge', 'mountPath', ['mountPath']],
    ['io.k8s.api.core.v1.ServiceSpec', 'ports', 'merge', 'port', ['port', 'protocol']],
    ['io.k8s.api.core.v1.PodStatus', 'conditions', 'merge', 'type', ['type']],
    ['io.k8s.api.apps.v1.DeploymentStatus', 'conditions', 'merge', 'type', ['type']],
    ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'ownerReferences', 'merge', 'uid', ['uid']],
  ])('%s.%s merges by its key as in k8s.io/api', (schema, name, strategy, key, mapKeys) => {
    expect(field(schema, name)).toMatchObject({
      'x-kubernetes-patch-strategy': strategy, 'x-kubernetes-patch-merge-key': key,
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': mapKeys,
    });
  });

  it('marks retainKeys, sets and atomic lists as k8s.io/api does', () => {
    expect(field('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(field('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers')).toMatchObject({ 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' });
    expect(field('io.k8s.api.core.v1.ServiceSpec', 'clusterIPs')['x-kubernetes-list-type']).toBe('atomic');
    expect(field('io.k8s.api.core.v1.Container', 'command')['x-kubernetes-list-type']).toBe('atomic');
    expect(field('io.k8s.api.discovery.v1.EndpointSlice', 'endpoints')['x-kubernetes-list-type']).toBe('atomic');
    expect(field('io.k8s.api.core.v1.ServiceSpec', 'selector')['x-kubernetes-map-type']).toBe('atomic');
  });

  it('declares no PATCH requestBody, so kubectl apply keeps computing patches from its built-in types', () => {
    for (const key of docs.keys()) {
      for (const item of Object.values(doc(key).paths)) expect((item['patch'] as Record<string, unknown> | undefined)?.['requestBody']).toBeUndefined();
    }
  });
});
