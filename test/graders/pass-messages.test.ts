// A pass message states the fact its own check verified, so two checks on one object
// never read alike (issue 13: local-traffic's "service" and "policy" checks both said
// "Service local-traffic-svc: ClusterIP ..., http 80→5678/TCP.").
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../../server/catalog/loader.ts';
import { EndpointSliceSchema, PodSchema, ServiceSchema, WorkloadSchema } from '../../graders/k8s/schemas.ts';
import type { CheckParams } from '../../graders/params.ts';
import type { CheckContext, Observed } from '../../graders/types.ts';
import { endpointsCheck } from '../../graders/checks/endpoints.ts';
import { resourceCheck } from '../../graders/checks/resource.ts';
import { serviceCheck } from '../../graders/checks/service.ts';

// These checks read only the snapshot; no exec, no probes.
const ctx = {} as CheckContext;

function observed(parts: Partial<Observed>): Observed {
  return { namespace: 'ns', pods: [], probes: [], services: [], endpointSlices: [], deployments: [], replicaSets: [], statefulSets: [], events: [], raw: new Map(), ...parts };
}

const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);

describe('service check pass messages, on every exercise solution', () => {
  const exercises = catalog.exercises.filter((e) => e.checks.some((c) => c.type === 'service'));
  it.each(exercises.map((e) => [e.id, e] as const))('%s: each service check passes naming what it checked, no two alike', async (_id, exercise) => {
    const messages: string[] = [];
    for (const check of exercise.checks) {
      if (check.type !== 'service') continue;
      const manifest = exercise.solution.find((m) => m.object.kind === 'Service' && m.object.metadata.name === check.params.name);
      expect(manifest, `solution has Service ${check.params.name}`).toBeDefined();
      const svc = ServiceSchema.parse(manifest!.object);
      // What the apiserver would have assigned.
      if (svc.spec.clusterIP !== 'None') svc.spec.clusterIP = '10.96.0.10';
      const v = await serviceCheck(check.params, observed({ services: [svc] }), ctx);
      expect(v.status, v.message).toBe('pass');
      if (check.params.internalTrafficPolicy) expect(v.message).toContain(`internalTrafficPolicy ${check.params.internalTrafficPolicy}`);
      if (check.params.sessionAffinity) expect(v.message).toContain(`sessionAffinity ${check.params.sessionAffinity}`);
      if (check.params.headless) expect(v.message).toContain('headless');
      if (check.params.hasClusterIP) expect(v.message).toContain('cluster IP 10.96.0.10');
      for (const port of check.params.ports ?? []) expect(v.message).toMatch(new RegExp(`port (\\S+ )?${port.port}→`));
      messages.push(v.message);
    }
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('local-traffic: the policy check says Local and nothing about ports; the service check the cluster IP and port', async () => {
    const exercise = catalog.byId('local-traffic')!;
    const svc = ServiceSchema.parse({
      metadata: { name: 'local-traffic-svc' },
      spec: { clusterIP: '10.96.0.7', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, targetPort: 5678 }] },
    });
    const run = (id: string) => {
      const check = exercise.checks.find((c) => c.id === id);
      if (check?.type !== 'service') throw new Error(`no service check ${id}`);
      return serviceCheck(check.params, observed({ services: [svc] }), ctx);
    };
    expect((await run('policy')).message).toBe('Service local-traffic-svc has internalTrafficPolicy Local.');
    expect((await run('service')).message).toBe('Service local-traffic-svc has the cluster IP 10.96.0.7 and has port http 80→5678/TCP.');
  });
});

describe('other pass messages name what they compared', () => {
  it('resource: the fields of match, with their values', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color: 'blue', size: 'L' } };
    const params: CheckParams<'resource'> = { kind: 'ConfigMap', name: 'settings', match: { data: { color: 'blue' } } };
    const v = await resourceCheck(params, observed({ raw: new Map([['ConfigMap', [cm]]]) }), ctx);
    expect(v).toMatchObject({ status: 'pass', message: 'ConfigMap settings exists with data.color blue.' });
  });

  it('endpoints: with a workload, that the ready addresses are its Pods', async () => {
    const pod = PodSchema.parse({ metadata: { name: 'web-1', labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d8f' }] }, status: { podIP: '10.244.1.4' } });
    const deployment = WorkloadSchema.parse({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } });
    const replicaSet = WorkloadSchema.parse({ metadata: { name: 'web-5d8f', ownerReferences: [{ kind: 'Deployment', name: 'web' }] } });
    const slice = EndpointSliceSchema.parse({
      metadata: { name: 'web-abc', labels: { 'kubernetes.io/service-name': 'web-service' } },
      endpoints: [{ addresses: ['10.244.1.4'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1' } }],
      ports: [{ name: '', port: 80 }],
    });
    const svc = ServiceSchema.parse({ metadata: { name: 'web-service' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const params: CheckParams<'endpoints'> = { service: 'web-service', ready: 1, workload: { kind: 'Deployment', name: 'web' } };
    const v = await endpointsCheck(params, observed({ pods: [pod], deployments: [deployment], replicaSets: [replicaSet], services: [svc], endpointSlices: [slice] }), ctx);
    expect(v.message, JSON.stringify(v)).toBe('Service web-service has 1 ready endpoint and 0 not ready, exactly the Pod IPs of Deployment web, on 80.');
    expect(v.status).toBe('pass');
  });
});
