// Apply from the portal runs as the learner's ServiceAccount: kubectl-apply outcomes,
// RBAC and quota decide, and the API's own messages come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedKindError } from '../../server/environments/errors.ts';
import type { EnvironmentService } from '../../server/environments/service.ts';
import { eventually, startHarness, type Harness } from './harness.ts';

let h: Harness;
let service: EnvironmentService;
let user: number;
let ns: string;

beforeAll(async () => {
  h = await startHarness();
  service = h.service();
  user = h.learner('applier');
  ns = (await service.ensure(user, 'clusterip-basics')).environment.namespace;
});
afterAll(async () => h?.close());

const deployment = (replicas: number, image = 'nginx:1.28') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: backend } }
  template:
    metadata: { labels: { app: backend } }
    spec:
      containers:
        - name: nginx
          image: ${image}
          ports: [{ containerPort: 80 }]
`;
const service80 = `apiVersion: v1
kind: Service
metadata: { name: backend-service }
spec:
  selector: { app: backend }
  ports: [{ port: 80, targetPort: 80 }]
`;

describe('apply as the learner', () => {
  it('reports created, then unchanged, then configured, like kubectl apply', async () => {
    const first = await service.apply(user, 'clusterip-basics', `${deployment(3)}---\n${service80}`);
    expect(first.map((r) => [r.kind, r.name, r.action])).toEqual([
      ['Deployment', 'backend', 'created'],
      ['Service', 'backend-service', 'created'],
    ]);
    expect(first.every((r) => r.namespace === ns)).toBe(true);

    const second = await service.apply(user, 'clusterip-basics', `${deployment(3)}---\n${service80}`);
    expect(second.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);

    const third = await service.apply(user, 'clusterip-basics', deployment(3, 'nginx:1.29'));
    expect(third.map((r) => r.action)).toEqual(['configured']);
    const live = await h.admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend', namespace: ns });
    expect(JSON.stringify(live['spec'])).toContain('nginx:1.29');
    expect(live.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.29');
  });

  it('passes on the API server refusals per object (RBAC), applying the rest', async () => {
    const results = await service.apply(
      user,
      'clusterip-basics',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {a: b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: nope}\nstringData: {a: b}\n`,
    );
    expect(results[0]).toMatchObject({ kind: 'ConfigMap', action: 'created' });
    expect(results[1]).toMatchObject({ kind: 'Secret', action: 'failed' });
    expect(results[1]?.message).toMatch(/forbidden/i);
  });

  it('refuses cluster-scoped kinds before applying anything', async () => {
    const err = await service
      .apply(user, 'clusterip-basics', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: never}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: mine}\n`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedKindError);
    expect((err as Error).message).toMatch(/document 2: Namespace is cluster-scoped/);
    expect(await h.admin.find({ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', namespace: ns })).toBeUndefined();
  });

  it('quota: a 50-replica Deployment is accepted, its ReplicaSet is denied Pods beyond the quota', async () => {
    const results = await service.apply(user, 'clusterip-basics', deployment(50).replace('name: backend', 'name: greedy').replaceAll('app: backend', 'app: greedy'));
    expect(results).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'greedy', action: 'created' })]);
    const message = await eventually('a FailedCreate event naming the quota', async () => {
      const events = await h.admin.list({ apiVersion: 'v1', kind: 'Event', namespace: ns });
      const hit = events.find((e) => e['reason'] === 'FailedCreate' && String(e['message']).includes('exceeded quota'));
      return hit ? String(hit['message']) : undefined;
    });
    expect(message).toMatch(/exceeded quota: learner-quota, requested: pods=1, used: pods=20, limited: pods=20/);
    const pods = await h.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns });
    expect(pods.length).toBeLessThanOrEqual(20);
  });
});
