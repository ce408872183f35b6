// buildLiveView as tables: from the objects a watch holds to what the live panel draws.
import { describe, expect, it } from 'vitest';
import { buildLiveView, type EndpointSliceLike, type NodeLike, type PodLike, type ServiceLike } from './view.ts';

const NS = 'kl-clusterip-basics-7';
const readyNode = (name: string, ready = true): NodeLike => ({ metadata: { name }, status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready ? 'True' : 'False' }] } });
const NODES = [readyNode('kind-worker2'), readyNode('kind-control-plane'), readyNode('kind-worker')];

function pod(name: string, o: { node?: string; labels?: Record<string, string>; ready?: boolean; phase?: string; ip?: string; restarts?: number[]; waiting?: string; terminated?: string; deleting?: boolean } = {}): PodLike {
  return {
    metadata: { name, labels: o.labels ?? { app: 'backend' }, ...(o.deleting ? { deletionTimestamp: '2025-01-15T09:30:00Z' } : {}) },
    spec: o.node === undefined ? {} : { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip ? { podIP: o.ip } : {}),
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      containerStatuses: (o.restarts ?? [0]).map((restartCount, i) => ({
        restartCount,
        ready: o.ready !== false,
        state: i === 0 && o.waiting ? { waiting: { reason: o.waiting } } : i === 0 && o.terminated ? { terminated: { reason: o.terminated } } : {},
      })),
    },
  };
}

function service(name: string, spec: NonNullable<ServiceLike['spec']> = {}): ServiceLike {
  return { metadata: { name }, spec: { clusterIP: '10.96.0.10', selector: { app: 'backend' }, ports: [{ port: 80, targetPort: 80 }], ...spec } };
}

function slice(serviceName: string, endpoints: NonNullable<EndpointSliceLike['endpoints']>): EndpointSliceLike {
  return { metadata: { labels: { 'kubernetes.io/service-name': serviceName } }, endpoints };
}

const view = (o: { nodes?: NodeLike[]; pods?: PodLike[]; services?: ServiceLike[]; slices?: EndpointSliceLike[] }) =>
  buildLiveView({ namespace: NS, nodes: o.nodes ?? NODES, pods: o.pods ?? [], services: o.services ?? [], slices: o.slices ?? [] });

describe('buildLiveView: nodes and Pods', () => {
  it('nodes sorted by name, each with its Pods sorted by name', () => {
    const v = view({
      pods: [pod('backend-c', { node: 'kind-worker' }), pod('backend-a', { node: 'kind-worker2' }), pod('backend-b', { node: 'kind-worker' })],
    });
    expect(v.namespace).toBe(NS);
    expect(v.nodes.map((n) => [n.name, n.pods.map((p) => p.name)])).toEqual([
      ['kind-control-plane', []],
      ['kind-worker', ['backend-b', 'backend-c']],
      ['kind-worker2', ['backend-a']],
    ]);
    expect(v.unscheduled).toEqual([]);
  });

  it.each<[string, NodeLike, boolean]>([
    ['Ready=True', readyNode('n'), true],
    ['Ready=False', readyNode('n', false), false],
    ['Ready=Unknown', { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }, false],
    ['no conditions', { metadata: { name: 'n' } }, false],
  ])('a node with %s is ready: %s', (_name, node, ready) => {
    expect(view({ nodes: [node] }).nodes[0]!.ready).toBe(ready);
  });

  it.each([
    ['kubelab.io/probe', { 'kubelab.io/probe': 'dns' }],
    ['kubelab.io/probe with an empty value', { 'kubelab.io/probe': '' }],
    ['kubelab.io/workspace', { 'kubelab.io/workspace': 'true', app: 'backend' }],
  ])('platform Pods (%s) are left out everywhere: nodes, unscheduled and selector matches', (_name, labels) => {
    const v = view({
      pods: [pod('probe', { node: 'kind-worker', labels: { ...labels, app: 'backend' } }), pod('probe-pending', { labels: { ...labels, app: 'backend' } }), pod('backend-a', { node: 'kind-worker' })],
      services: [service('backend-service')],
    });
    expect(v.nodes.flatMap((n) => n.pods.map((p) => p.name))).toEqual(['backend-a']);
    expect(v.unscheduled).toEqual([]);
    expect(v.services[0]!.matchingPods).toBe(1);
  });

  it('Pods no node has (yet), or on a node the view does not know, are unscheduled', () => {
    const v = view({ pods: [pod('pending', { phase: 'Pending', ready: false }), pod('elsewhere', { node: 'gone-node' }), pod('placed', { node: 'kind-worker' })] });
    expect(v.unscheduled.map((p) => [p.name, p.node, p.status])).toEqual([
      ['elsewhere', 'gone-node', 'Running'],
      ['pending', null, 'Pending'],
    ]);
    expect(v.nodes.flatMap((n) => n.pods).map((p) => p.name)).toEqual(['placed']);
  });

  it.each([
    ['a running, ready Pod', pod('p', { node: 'kind-worker', ip: '10.244.1.5' }), { ready: true, status: 'Running', restarts: 0, ip: '10.244.1.5' }],
    ['a not-ready Pod', pod('p', { node: 'kind-worker', ready: false }), { ready: false, status: 'Running', restarts: 0, ip: null }],
    ['restarts summed over containers', pod('p', { node: 'kind-worker', restarts: [2, 3] }), { restarts: 5 }],
    ['a waiting reason wins over the phase', pod('p', { node: 'kind-worker', ready: false, waiting: 'CrashLoopBackOff', restarts: [4] }), { status: 'CrashLoopBackOff', restarts: 4, ready: false }],
    ['a terminated reason', pod('p', { node: 'kind-worker', ready: false, terminated: 'Error' }), { status: 'Error' }],
    ['a Pod being deleted', pod('p', { node: 'kind-worker', deleting: true, waiting: 'ContainerCreating' }), { status: 'Terminating' }],
    ['no status at all', { metadata: { name: 'p' }, spec: { nodeName: 'kind-worker' } }, { ready: false, status: 'Pending', restarts: 0, ip: null, labels: {} }],
  ] as const)('%s', (_name, input, expected) => {
    expect(view({ pods: [input as PodLike] }).nodes.find((n) => n.name === 'kind-worker')!.pods[0]).toMatchObject(expected);
  });
});

describe('buildLiveView: Services', () => {
  const pods = [
    pod('backend-a', { node: 'kind-worker', labels: { app: 'backend', tier: 'api' } }),
    pod('backend-b', { node: 'kind-worker2', labels: { app: 'backend', tier: 'api' } }),
    pod('frontend-a', { node: 'kind-worker', labels: { app: 'frontend', tier: 'web' } }),
  ];

  it.each([
    ['matches every backend Pod', { app: 'backend' }, [['app', 'backend', true]], 2],
    ['two terms, both on the Pods', { app: 'backend', tier: 'api' }, [['app', 'backend', true], ['tier', 'api', true]], 2],
    ['a typo in the value: red chip, 0 Pods', { app: 'backedn' }, [['app', 'backedn', false]], 0],
    ['a typo in the key', { ap: 'backend' }, [['ap', 'backend', false]], 0],
    ['each term matches some Pod, but no Pod has both', { app: 'backend', tier: 'web' }, [['app', 'backend', true], ['tier', 'web', true]], 0],
    ['one term right, one wrong', { app: 'frontend', tier: 'wbe' }, [['app', 'frontend', true], ['tier', 'wbe', false]], 0],
  ] as const)('selector chips and matchingPods: %s', (_name, selector, chips, matching) => {
    const s = view({ pods, services: [service('svc', { selector })] }).services[0]!;
    expect(s.selector!.map((t) => [t.key, t.value, t.matchesAny])).toEqual(chips);
    expect(s.matchingPods).toBe(matching);
  });

  it.each([
    ['no selector', undefined],
    ['an empty selector', {}],
  ])('a Service with %s has selector null and matches no Pods', (_name, selector) => {
    const s = view({ pods, services: [{ metadata: { name: 'manual' }, spec: { clusterIP: '10.96.0.20', ...(selector ? { selector } : {}) } }] }).services[0]!;
    expect(s.selector).toBeNull();
    expect(s.matchingPods).toBe(0);
  });

  it.each([
    ['a ClusterIP Service', { clusterIP: '10.96.4.2' }, { type: 'ClusterIP', clusterIP: '10.96.4.2', headless: false }],
    ['a headless Service', { clusterIP: 'None' }, { type: 'ClusterIP', clusterIP: null, headless: true }],
    ['a NodePort Service', { type: 'NodePort', clusterIP: '10.96.4.3' }, { type: 'NodePort', clusterIP: '10.96.4.3', headless: false }],
    ['no clusterIP yet', { clusterIP: undefined }, { clusterIP: null, headless: false }],
  ] as const)('%s', (_name, spec, expected) => {
    const s = view({ services: [service('db', spec)] }).services[0]!;
    expect(s).toMatchObject(expected);
    expect(s.dns).toBe(`db.${NS}.svc.cluster.local`);
  });

  it.each([
    ['the defaults', {}, { sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' }],
    ['sessionAffinity: ClientIP', { sessionAffinity: 'ClientIP' }, { sessionAffinity: 'ClientIP', internalTrafficPolicy: 'Cluster' }],
    ['internalTrafficPolicy: Local', { internalTrafficPolicy: 'Local' }, { sessionAffinity: 'None', internalTrafficPolicy: 'Local' }],
    ['both', { sessionAffinity: 'ClientIP', internalTrafficPolicy: 'Local' }, { sessionAffinity: 'ClientIP', internalTrafficPolicy: 'Local' }],
  ] as const)('badge data: %s', (_name, spec, expected) => {
    expect(view({ services: [service('svc', spec)] }).services[0]).toMatchObject(expected);
  });

  it.each([
    ['numeric targetPort', [{ port: 80, targetPort: 3000 }], [{ name: null, port: 80, targetPort: '3000', protocol: 'TCP' }]],
    ['named targetPort', [{ name: 'http', port: 80, targetPort: 'web' }], [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }]],
    ['targetPort left out: the port', [{ port: 8080 }], [{ name: null, port: 8080, targetPort: '8080', protocol: 'TCP' }]],
    ['two ports, UDP', [{ name: 'http', port: 80, targetPort: 80 }, { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }], [{ name: 'http', port: 80, targetPort: '80', protocol: 'TCP' }, { name: 'dns', port: 53, targetPort: '53', protocol: 'UDP' }]],
    ['no ports', [], []],
  ] as const)('ports: %s', (_name, ports, expected) => {
    expect(view({ services: [service('svc', { ports: ports as never })] }).services[0]!.ports).toEqual(expected);
  });

  it('Services are sorted by name', () => {
    expect(view({ services: [service('zeta'), service('alpha'), service('mid')] }).services.map((s) => s.name)).toEqual(['alpha', 'mid', 'zeta']);
  });
});

describe('buildLiveView: endpoints', () => {
  it.each([
    ['ready', { ready: true, serving: true, terminating: false }, { ready: true, serving: true, terminating: false }],
    ['not ready', { ready: false, serving: false, terminating: false }, { ready: false, serving: false, terminating: false }],
    // discovery/v1 EndpointConditions: a nil `ready` is read as ready; a nil `serving` defers to `ready`;
    // a nil `terminating` means not terminating.
    ['nil conditions mean ready', undefined, { ready: true, serving: true, terminating: false }],
    ['nil ready means ready', { terminating: false }, { ready: true, serving: true, terminating: false }],
    ['nil serving follows ready', { ready: false }, { ready: false, serving: false, terminating: false }],
    ['terminating but still serving', { ready: false, serving: true, terminating: true }, { ready: false, serving: true, terminating: true }],
  ] as const)('conditions: %s', (_name, conditions, expected) => {
    const v = view({ services: [service('svc')], slices: [slice('svc', [{ addresses: ['10.244.1.5'], ...(conditions ? { conditions } : {}), nodeName: 'kind-worker', targetRef: { name: 'backend-a' } }])] });
    expect(v.services[0]!.endpoints).toEqual([{ ip: '10.244.1.5', node: 'kind-worker', pod: 'backend-a', ...expected }]);
  });

  it('every slice of the Service counts, other Services’ slices do not; sorted by Pod', () => {
    const v = view({
      services: [service('svc'), service('other')],
      slices: [
        slice('svc', [{ addresses: ['10.244.2.9'], nodeName: 'kind-worker2', targetRef: { name: 'backend-c' } }]),
        slice('other', [{ addresses: ['10.244.9.9'], targetRef: { name: 'x' } }]),
        slice('svc', [
          { addresses: ['10.244.1.5'], nodeName: 'kind-worker', targetRef: { name: 'backend-a' } },
          { addresses: ['10.244.1.6'], conditions: { ready: false }, nodeName: 'kind-worker', targetRef: { name: 'backend-b' } },
        ]),
        { metadata: { labels: {} }, endpoints: [{ addresses: ['10.0.0.1'] }] },
        { endpoints: [{ addresses: ['10.0.0.2'] }] },
      ],
    });
    const svc = v.services.find((s) => s.name === 'svc')!;
    expect(svc.endpoints.map((e) => [e.pod, e.ip, e.node, e.ready])).toEqual([
      ['backend-a', '10.244.1.5', 'kind-worker', true],
      ['backend-b', '10.244.1.6', 'kind-worker', false],
      ['backend-c', '10.244.2.9', 'kind-worker2', true],
    ]);
    expect(v.services.find((s) => s.name === 'other')!.endpoints.map((e) => e.ip)).toEqual(['10.244.9.9']);
  });

  it('an endpoint without a Pod or node (added by hand) keeps its address; a slice with no endpoints adds none', () => {
    const v = view({ services: [service('manual', { selector: undefined })], slices: [slice('manual', [{ addresses: ['192.0.2.10'] }]), slice('manual', [])] });
    expect(v.services[0]!.endpoints).toEqual([{ ip: '192.0.2.10', ready: true, serving: true, terminating: false, node: null, pod: null }]);
  });

  it('a Service with a selector typo: red chip, 0 matching Pods, no endpoints', () => {
    const v = view({
      pods: [pod('backend-a', { node: 'kind-worker' }), pod('backend-b', { node: 'kind-worker2' }), pod('backend-c', { node: 'kind-worker' })],
      services: [service('backend-service', { selector: { app: 'backendd' } })],
      slices: [slice('backend-service', [])],
    });
    expect(v.services[0]).toMatchObject({ selector: [{ key: 'app', value: 'backendd', matchesAny: false }], matchingPods: 0, endpoints: [] });
    expect(v.nodes.flatMap((n) => n.pods)).toHaveLength(3);
  });
});
