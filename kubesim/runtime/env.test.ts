// $(VAR) expansion as third_party/forked/golang/expansion/expand.go does it, and the
// Service variables the kubelet injects (kubelet_pods.go getServiceEnvVarMap).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { Store } from '../core/store.ts';
import { expand, kubeletEnv } from './env.ts';
import { parsePod } from './podspec.ts';

const vars: Record<string, string> = { A: 'one', EMPTY: '' };
const lookup = (n: string): string | undefined => vars[n];

describe('expand', () => {
  it.each([
    ['$(A)', 'one'],
    ['x$(A)y$(A)', 'xoneyone'],
    ['$(EMPTY)|', '|'],
    ['$(NOPE)', '$(NOPE)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$one'],
    ['$$$$(A)', '$$(A)'],
    ['$A', '$A'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$(A', '$(A'],
    ['$()', '$()'],
    ['$(A)$(', 'one$('],
    ['$(A $(A))', '$(A $(A))'],
  ])('%s → %s', (input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });
});

describe('kubeletEnv', () => {
  const clock = new ManualClock();
  const store = new Store({ clock });
  const svc = (ns: string, name: string, clusterIP: string, port: number) =>
    store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP, ports: [{ port, protocol: 'TCP' }] } });
  svc('default', 'kubernetes', '10.96.0.1', 443);
  svc('default', 'web', '10.96.0.20', 80);
  svc('shop', 'backend-svc', '10.96.0.30', 8080);
  svc('shop', 'db', 'None', 5432);
  const pod = (ns: string, enableServiceLinks?: boolean) => parsePod({
    metadata: { name: 'p', namespace: ns },
    spec: { ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }), containers: [{ name: 'c', image: 'busybox' }] },
  });
  const container = { name: 'c', image: 'busybox' };

  it.each([
    ['shop', undefined, ['BACKEND_SVC_SERVICE_HOST', 'KUBERNETES_SERVICE_HOST'], ['DB_SERVICE_HOST', 'WEB_SERVICE_HOST']],
    ['shop', false, ['KUBERNETES_SERVICE_HOST'], ['BACKEND_SVC_SERVICE_HOST']],
    ['default', undefined, ['KUBERNETES_SERVICE_HOST', 'WEB_SERVICE_HOST'], ['BACKEND_SVC_SERVICE_HOST']],
    ['default', false, ['KUBERNETES_SERVICE_HOST'], ['WEB_SERVICE_HOST']],
  ] as const)('in %s with enableServiceLinks %s: the master Service always, the namespace\'s with links', (ns, links, present, absent) => {
    const env = kubeletEnv(store, pod(ns, links), container);
    for (const k of present) expect(env.has(k), k).toBe(true);
    for (const k of absent) expect(env.has(k), k).toBe(false);
  });

  it('writes the Docker link variables of a Service', () => {
    const env = kubeletEnv(store, pod('shop'), container);
    expect(Object.fromEntries([...env].filter(([k]) => k.startsWith('BACKEND_SVC_')))).toEqual({
      BACKEND_SVC_SERVICE_HOST: '10.96.0.30',
      BACKEND_SVC_SERVICE_PORT: '8080',
      BACKEND_SVC_PORT: 'tcp://10.96.0.30:8080',
      BACKEND_SVC_PORT_8080_TCP: 'tcp://10.96.0.30:8080',
      BACKEND_SVC_PORT_8080_TCP_PROTO: 'tcp',
      BACKEND_SVC_PORT_8080_TCP_PORT: '8080',
      BACKEND_SVC_PORT_8080_TCP_ADDR: '10.96.0.30',
    });
  });
});
