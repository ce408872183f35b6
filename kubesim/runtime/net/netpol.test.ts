import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/types.ts';
import { bb, runPod, service, sh, slice, world } from '../testing/fixtures.ts';

function policy(name: string, ns: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

const DENY_ALL_INGRESS = { podSelector: {}, policyTypes: ['Ingress'] };
const ALLOW_SAME_NS = { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] };
const ALLOW_FROM_CLIENT_ROLE = { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'http' }] }] };
const ALLOW_FROM_NS_OTHER = { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] }] };
const EGRESS_DENY = { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] };
const EGRESS_WEB_AND_DNS = { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [
  { to: [{ podSelector: { matchLabels: { app: 'web' } } }] },
  { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] },
] };
const IPBLOCK = { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.0/24', except: ['10.244.1.99/32'] } }] }] };

describe('NetworkPolicy', () => {
  it.each([
    ['no policy: allowed', [], 'default', {}, 'ok'],
    ['deny all ingress', [['default', DENY_ALL_INGRESS]], 'default', {}, 'timeout'],
    ['allow same namespace', [['default', DENY_ALL_INGRESS], ['default', ALLOW_SAME_NS]], 'default', {}, 'ok'],
    ['same-namespace rule does not admit another namespace', [['default', ALLOW_SAME_NS]], 'other', {}, 'timeout'],
    ['podSelector + named port admits the client role', [['default', ALLOW_FROM_CLIENT_ROLE]], 'default', { role: 'client' }, 'ok'],
    ['podSelector refuses others', [['default', ALLOW_FROM_CLIENT_ROLE]], 'default', { role: 'x' }, 'timeout'],
    ['namespaceSelector by kubernetes.io/metadata.name', [['default', ALLOW_FROM_NS_OTHER]], 'other', {}, 'ok'],
    ['egress deny all (DNS included)', [['default', EGRESS_DENY]], 'default', { role: 'client' }, 'dns-timeout'],
    ['egress to web plus DNS', [['default', EGRESS_WEB_AND_DNS]], 'default', { role: 'client' }, 'ok'],
    ['ipBlock with except', [['default', IPBLOCK]], 'default', {}, 'timeout'],
  ] as const)('%s', async (_why, policies, clientNs, clientLabels, want) => {
    const w = world();
    // A CoreDNS Pod behind kube-dns so DNS traffic is subject to policy like any other.
    runPod(w, 'coredns-1', { ns: 'kube-system', ip: '10.244.0.2', node: 'kind-control-plane', labels: { 'k8s-app': 'kube-dns' }, containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }] });
    service(w, 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system');
    slice(w, 'kube-dns', [{ name: 'dns', port: 53, protocol: 'UDP' }], [{ ip: '10.244.0.2', node: 'kind-control-plane' }], 'kube-system');
    runPod(w, 'web', { ip: '10.244.1.5', labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 80 }] }] });
    service(w, 'web', { clusterIP: '10.96.45.62', ports: [{ port: 80 }] });
    slice(w, 'web', [{ port: 80 }], [{ ip: '10.244.1.5' }]);
    policies.forEach(([ns, spec], i) => w.store.create('networking.k8s.io/networkpolicies', policy(`p-${i}`, ns, spec)));
    const client = runPod(w, 'client', { ns: clientNs, ip: '10.244.1.99', labels: clientLabels, containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- -T 2 http://web.default.svc.cluster.local >/dev/null');
    const got = r.exitCode === 0 ? 'ok' : r.stderr.includes('bad address') ? 'dns-timeout' : r.stderr.includes('timed out') ? 'timeout' : r.stderr;
    expect(got).toBe(want);
  });
});
