import { describe, expect, it } from 'vitest';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { desiredEndpointSubsets } from './endpoints.ts';
import { desiredEndpointSlices } from './endpointslices.ts';

let n = 0;
function pod(name: string, o: { ip?: string; ready?: boolean; deleting?: boolean; phase?: string; ports?: Record<string, unknown>[]; hostname?: string; subdomain?: string; labels?: Record<string, string> } = {}): StoredObject {
  n++;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: 'default', uid: `uid-${name}`, resourceVersion: String(n), creationTimestamp: '2026-01-01T00:00:00Z',
      labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: {
      nodeName: 'kind-worker', containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? [{ containerPort: 8080, name: 'http' }] }],
      ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.subdomain ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === '' ? {} : { podIP: o.ip ?? `10.244.1.${n % 250}` }),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'svc' }, spec: { selector: { app: 'web' }, ...spec } });
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kind-worker', labels: { 'topology.kubernetes.io/zone': 'kind' } } };
const PORT = { ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] };

describe('desiredEndpointSlices', () => {
  it.each([
    ['ready pod', [pod('a', { ip: '10.244.1.5' })], [{ ready: true, serving: true, terminating: false }]],
    ['not-ready pod', [pod('a', { ready: false })], [{ ready: false, serving: false, terminating: false }]],
    ['terminating ready pod', [pod('a', { deleting: true })], [{ ready: false, serving: true, terminating: true }]],
    ['pod without IP is left out', [pod('a', { ip: '' })], []],
    ['finished pod is left out', [pod('a', { phase: 'Succeeded' })], []],
    ['other labels are left out', [pod('a', { labels: { app: 'db' } })], []],
  ])('%s', (_name, pods, conditions) => {
    const slices = desiredEndpointSlices(svc(PORT), pods, [node]);
    expect(slices.flatMap((s) => s.endpoints.map((e) => e.conditions))).toEqual(conditions);
  });

  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const [slice] = desiredEndpointSlices(svc({ ...PORT, publishNotReadyAddresses: true }), [pod('a', { ready: false })], [node]);
    expect(slice?.endpoints[0]?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it('resolves named targetPorts per pod and splits pods with different port sets', () => {
    const pods = [pod('a', { ports: [{ containerPort: 8080, name: 'http' }] }), pod('b', { ports: [{ containerPort: 9090, name: 'http' }] }), pod('c', { ports: [{ containerPort: 80 }] })];
    const slices = desiredEndpointSlices(svc(PORT), pods, [node]);
    expect(slices.map((s) => [s.ports, s.endpoints.map((e) => (e.targetRef as { name: string }).name)])).toEqual([
      [[{ name: 'http', port: 8080, protocol: 'TCP' }], ['a']],
      [[{ name: 'http', port: 9090, protocol: 'TCP' }], ['b']],
      [[], ['c']],
    ]);
  });

  it('sets hostname only when the subdomain is the Service name, plus zone, node and labels', () => {
    const pods = [pod('a', { hostname: 'a', subdomain: 'web' }), pod('b', { hostname: 'b', subdomain: 'other' })];
    const [slice] = desiredEndpointSlices(svc({ ...PORT, clusterIP: 'None' }), pods, [node]);
    expect(slice?.endpoints.map((e) => e.hostname)).toEqual(['a', undefined]);
    expect(slice?.endpoints[0]).toMatchObject({ nodeName: 'kind-worker', zone: 'kind', targetRef: { kind: 'Pod', name: 'a', namespace: 'default', uid: 'uid-a' } });
    expect(slice?.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'service.kubernetes.io/headless': '' });
  });

  it('puts at most 100 endpoints in a slice', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`));
    expect(desiredEndpointSlices(svc(PORT), pods, [node]).map((s) => s.endpoints.length)).toEqual([100, 50]);
  });

  it('gives a Service without selector no slices', () => {
    const noSelector: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: PORT };
    expect(desiredEndpointSlices(noSelector, [pod('a')], [node])).toEqual([]);
  });
});

describe('desiredEndpointSubsets', () => {
  it.each([
    ['ready and not ready', [pod('a', { ip: '10.244.1.9' }), pod('b', { ip: '10.244.1.10', ready: false })], [['10.244.1.9'], ['10.244.1.10']]],
    ['terminating pods are left out', [pod('a', { ip: '10.244.1.9', deleting: true })], []],
  ])('%s', (_name, pods, expected) => {
    const subsets = desiredEndpointSubsets(svc(PORT), pods);
    const flat = subsets.length ? [subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)), subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip))] : [];
    expect(flat).toEqual(expected);
  });
});
