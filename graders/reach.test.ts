// Which Service a URL's host names, as the reach diagnosis reads it: the short name, the
// namespaced forms of the learner's own namespace, or a cluster IP; anything else (another
// namespace, an outside name) names none, so no cause is guessed from the wrong Service.
import { describe, expect, it } from 'vitest';
import { ServiceSchema } from './k8s/schemas.ts';
import { hostPort, targetOf } from './reach.ts';
import type { Observed } from './types.ts';

const observed: Observed = {
  namespace: 'ns',
  pods: [],
  probes: [],
  services: [ServiceSchema.parse({ metadata: { name: 'web' }, spec: { clusterIP: '10.96.3.4', ports: [{ port: 80 }] } })],
  endpointSlices: [],
  deployments: [],
  replicaSets: [],
  statefulSets: [],
  events: [],
  raw: new Map(),
};

describe('targetOf', () => {
  it.each([
    ['web', 'web', true],
    ['web.ns', 'web', true],
    ['web.ns.svc', 'web', true],
    ['web.ns.svc.cluster.local.', 'web', true],
    ['10.96.3.4', undefined, true],
    ['api', 'api', false],
    ['web.other', undefined, false],
    ['example.com', undefined, false],
    ['10.96.9.9', undefined, false],
  ])('%s → name %s, Service found: %s', (host, name, found) => {
    const t = targetOf(host, observed);
    expect(t.name).toBe(name);
    expect(t.service?.metadata.name).toBe(found ? 'web' : undefined);
  });
});

describe('hostPort', () => {
  it.each([
    ['http://web', 'web', 80],
    ['http://multiport-svc:9090/metrics', 'multiport-svc', 9090],
    ['http://web.ns.svc.cluster.local:8080/', 'web.ns.svc.cluster.local', 8080],
  ])('%s', (url, host, port) => {
    expect(hostPort(url)).toEqual({ host, port });
  });
});
