import { describe, expect, it } from 'vitest';
import { ManualClock, seededRng } from '../../core/clock.ts';
import { invalid, StatusError } from '../../core/errors.ts';
import { resourceByKey } from '../../core/registry.ts';
import { Store } from '../../core/store.ts';
import type { KubeObject } from '../../core/types.ts';
import { InternalClient } from '../client.ts';
import { createControlPlane } from '../index.ts';
import { createRuntime } from '../../runtime/index.ts';
import { at, strs } from '../util/obj.ts';
import { inServiceRange } from './ipalloc.ts';

function setup() {
  const clock = new ManualClock();
  const store = new Store({ clock });
  const rng = seededRng(3);
  const cp = createControlPlane({ store, clock, rng, runtime: createRuntime({ store, clock, rng: seededRng(4) }) });
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const client = new InternalClient(store, clock, rng, () => cp.behaviour);
  return { store, client, behaviour: cp.behaviour };
}

function svc(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.message;
    throw e;
  }
  return '';
}

describe('Service strategy', () => {
  it.each([
    ['no ports', 'web', { selector: { app: 'x' } }, 'Service "web" is invalid: spec.ports: Required value'],
    ['unnamed second port', 'web', { ports: [{ name: 'http', port: 80 }, { port: 81 }] }, 'Service "web" is invalid: spec.ports[1].name: Required value'],
    ['duplicate names', 'web', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, 'Service "web" is invalid: spec.ports[1].name: Duplicate value: "http"'],
    ['port out of range (targetPort defaults to it)', 'web', { ports: [{ port: 70000 }] },
      'Service "web" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]'],
    ['bad targetPort name', 'web', { ports: [{ port: 80, targetPort: 'http_x' }] }, 'Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "http_x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['same port+protocol twice', 'web', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] },
      'Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ['DNS-1035 name', '1abc', { ports: [{ port: 80 }] },
      `Service "1abc" is invalid: metadata.name: Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`],
    ['nodePort on ClusterIP', 'web', { ports: [{ port: 80, nodePort: 30080 }] }, "Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ['unknown type', 'web', { type: 'Cluster', ports: [{ port: 80 }] }, 'Service "web" is invalid: spec.type: Unsupported value: "Cluster": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  ])('refuses %s', (_name, name, spec, message) => {
    const { client } = setup();
    expect(messageOf(() => client.create('services', svc(name, spec), 'test'))).toBe(message);
  });

  it('defaults a ClusterIP Service like the real API', () => {
    const { client } = setup();
    const s = client.create('services', svc('web', { selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }), 'test');
    expect(s.spec).toMatchObject({
      type: 'ClusterIP', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(strs(at(s, 'spec', 'clusterIPs'))).toEqual([at(s, 'spec', 'clusterIP')]);
  });

  it('allocates unique in-range ClusterIPs and frees them on delete', () => {
    const { client, store } = setup();
    const ips = Array.from({ length: 50 }, (_, i) => String(at(client.create('services', svc(`s${i}`, { ports: [{ port: 80 }] }), 'test'), 'spec', 'clusterIP')));
    expect(new Set(ips).size).toBe(50);
    expect(ips.every(inServiceRange)).toBe(true);
    expect(ips).not.toContain('10.96.0.1');
    const taken = ips[0]!;
    expect(messageOf(() => client.create('services', svc('dup', { clusterIP: taken, ports: [{ port: 80 }] }), 'test')))
      .toBe(`Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"${taken}"}: failed to allocate IP ${taken}: provided IP is already allocated`);
    store.remove('services', 'default', 's0');
    expect(at(client.create('services', svc('dup', { clusterIP: taken, ports: [{ port: 80 }] }), 'test'), 'spec', 'clusterIP')).toBe(taken);
  });

  it('keeps clusterIP immutable with the real message', () => {
    const { client, behaviour } = setup();
    const s = client.create('services', svc('web', { ports: [{ port: 80 }] }), 'test');
    const changed = structuredClone(s);
    changed.spec = { ports: [{ port: 80 }], clusterIP: 'None' };
    const resource = resourceByKey('services');
    if (!resource) throw new Error('services not registered');
    const ctx = { store: client.store, clock: client.clock, rng: client.rng, user: { username: 't', groups: [] }, resource, dryRun: false };
    const st = behaviour.strategyFor('services');
    st?.prepareForUpdate?.(changed, s, ctx);
    const errs = st?.validateUpdate?.(changed, s, ctx) ?? [];
    expect(invalid('Service', '', 'web', errs).message).toBe('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set');
  });
});
