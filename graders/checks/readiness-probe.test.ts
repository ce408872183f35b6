// The readiness-probe check concerns the container that serves the Service's port:
// a sidecar needs no probe of its own (EXERCISES.md, readiness-endpoints).
import { describe, expect, it } from 'vitest';
import { ServiceSchema, WorkloadSchema } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import type { CheckContext, Observed } from '../types.ts';
import { readinessProbeCheck } from './readiness-probe.ts';

const probe = { httpGet: { path: '/', port: 80 } };
const nginx = (readinessProbe?: object) => ({ name: 'nginx', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 80 }], ...(readinessProbe ? { readinessProbe } : {}) });
const sidecar = (readinessProbe?: object) => ({ name: 'log-shipper', image: 'busybox:1.36', ...(readinessProbe ? { readinessProbe } : {}) });
const exporter = { name: 'metrics', image: 'prom/node-exporter', ports: [{ containerPort: 9100 }] };

function observed(containers: object[], targetPort: number | string = 80): Observed {
  const deployment = WorkloadSchema.parse({ metadata: { name: 'web' }, spec: { template: { spec: { containers } } } });
  const service = ServiceSchema.parse({ metadata: { name: 'web-service' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort }] } });
  return { namespace: 'ns', pods: [], probes: [], services: [service], endpointSlices: [], deployments: [deployment], replicaSets: [], statefulSets: [], events: [], raw: new Map() };
}

// The check reads only the snapshot; no exec, no probes.
const ctx = {} as CheckContext;
const byService: CheckParams<'readiness-probe'> = { kind: 'Deployment', name: 'web', service: 'web-service' };

describe('readiness-probe', () => {
  it.each([
    ['the serving container has a probe, the sidecar none', [nginx(probe), sidecar()], 80, 'pass', 'on nginx'],
    ['the serving container is found by the port name', [sidecar(), nginx(probe)], 'http', 'pass', 'on nginx'],
    ['only the sidecar has a probe', [nginx(), sidecar(probe)], 80, 'fail', 'container nginx, which serves web-service'],
    ['a second server without a probe is not the one serving the Service', [nginx(probe), exporter], 80, 'pass', 'on nginx'],
    ['one container, no declared port, no probe', [{ name: 'nginx', image: 'nginx:1.28' }], 80, 'fail', 'container nginx'],
    ['several containers, none declares the port, one has a probe', [{ name: 'a', image: 'nginx:1.28', readinessProbe: probe }, sidecar()], 80, 'pass', 'on a'],
    ['several containers, none declares the port, none has a probe', [{ name: 'a', image: 'nginx:1.28' }, sidecar()], 80, 'fail', 'any container'],
  ] as const)('%s → %s', async (_name, containers, targetPort, status, words) => {
    const v = await readinessProbeCheck(byService, observed([...containers], targetPort), ctx);
    expect(v.status).toBe(status);
    expect(v.message).toContain(words);
  });

  it('without service or container, asks every container for a probe', async () => {
    const v = await readinessProbeCheck({ kind: 'Deployment', name: 'web' }, observed([nginx(probe), sidecar()]), ctx);
    expect(v).toMatchObject({ status: 'fail', message: expect.stringContaining('container log-shipper') });
  });

  it('with container, asks that container only', async () => {
    const v = await readinessProbeCheck({ kind: 'Deployment', name: 'web', container: 'nginx' }, observed([nginx(probe), sidecar()]), ctx);
    expect(v.status).toBe('pass');
  });
});
