// The selector check names the cause of a wrong selector, so the exercise can give the
// hint that fits it (issue 13): a typo must not be told to add a label it already has.
import { describe, expect, it } from 'vitest';
import { PodSchema, ServiceSchema, WorkloadSchema } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import type { CheckContext, Observed } from '../types.ts';
import { selectorCheck } from './selector.ts';

const deployment = (name: string) => WorkloadSchema.parse({ metadata: { name } });
const replicaSet = (name: string) => WorkloadSchema.parse({ metadata: { name: `${name}-abc`, ownerReferences: [{ kind: 'Deployment', name }] } });
const pods = (owner: string, labels: Record<string, string>, count: number) =>
  Array.from({ length: count }, (_, i) => PodSchema.parse({ metadata: { name: `${owner}-abc-${i}`, labels, ownerReferences: [{ kind: 'ReplicaSet', name: `${owner}-abc` }] } }));

function observed(selector: Record<string, string> | undefined, backendLabels: Record<string, string>, backendCount = 2): Observed {
  const service = ServiceSchema.parse({ metadata: { name: 'backend-svc' }, spec: { ...(selector ? { selector } : {}), ports: [{ port: 80 }] } });
  return {
    namespace: 'ns',
    pods: [...pods('backend', backendLabels, backendCount), ...pods('frontend', { app: 'shop', tier: 'frontend' }, 2)],
    probes: [],
    services: [service],
    endpointSlices: [],
    deployments: [deployment('backend'), deployment('frontend')],
    replicaSets: [replicaSet('backend'), replicaSet('frontend')],
    statefulSets: [],
    events: [],
    raw: new Map(),
  };
}

// The check reads only the snapshot.
const ctx = {} as CheckContext;
const params: CheckParams<'selector'> = { service: 'backend-svc', workload: { kind: 'Deployment', name: 'backend' } };
const backend = { app: 'shop', tier: 'backend' };

describe('selector causes', () => {
  it.each([
    ['exactly the backend Pods', backend, backend, 'pass', undefined],
    ['only app=shop', { app: 'shop' }, backend, 'fail', 'too-broad'],
    ['the frontend tier', { app: 'shop', tier: 'frontend' }, backend, 'fail', 'wrong-pods'],
    ['tier=backend where the Pods say back-end', backend, { app: 'shop', tier: 'back-end' }, 'fail', 'label-typo'],
    ['a key the Pods lack', { app: 'shop', tier: 'backend', env: 'prod' }, backend, 'fail', 'missing-label'],
    ['no selector at all', undefined, backend, 'fail', 'no-selector'],
  ] as const)('%s → %s %s', async (_name, selector, labels, status, cause) => {
    const v = await selectorCheck(params, observed(selector, labels), ctx);
    expect(v.status, v.message).toBe(status);
    expect(v.cause).toBe(cause);
  });

  it('a Deployment with no Pods yet → no-pods', async () => {
    const v = await selectorCheck(params, observed(backend, backend, 0), ctx);
    expect(v).toMatchObject({ status: 'fail', cause: 'no-pods' });
  });

  it('no Service → no-service; no workload → no-workload', async () => {
    expect((await selectorCheck({ ...params, service: 'nope' }, observed(backend, backend), ctx)).cause).toBe('no-service');
    expect((await selectorCheck({ ...params, workload: { kind: 'Deployment', name: 'nope' } }, observed(backend, backend), ctx)).cause).toBe('no-workload');
  });
});
