// Count quotas in every learner namespace (#17.4): a learner cannot fill the shared
// store with objects of any kind they may create; the apiserver's quota message comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OBJECT_COUNTS, LEARNER_RULES } from '../../server/environments/manifests.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const configMaps = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${from + i}}\ndata: {a: "1"}\n`).join('---\n');

describe('learner count quotas', () => {
  it('cover every kind the learner Role may create', () => {
    const creatable = LEARNER_RULES.filter((r) => r.verbs.includes('create')).flatMap((r) =>
      r.resources.filter((res) => !res.includes('/')).map((res) => (r.apiGroups[0] ? `count/${res}.${r.apiGroups[0]}` : res)),
    );
    const covered = new Set([...Object.keys(DEFAULT_OBJECT_COUNTS), 'pods', 'services', 'count/endpoints']);
    expect(creatable.filter((k) => !covered.has(k) && !covered.has(`count/${k}`))).toEqual([]);
  });

  it('refuse ConfigMaps past the quota with the apiserver message, and the namespace keeps working', async () => {
    const service = h.service();
    const user = h.learner('hoarder');
    const { environment } = await service.ensure(user, 'clusterip-basics');
    const quota = await h.admin.get({ apiVersion: 'v1', kind: 'ResourceQuota', name: 'learner-quota', namespace: environment.namespace });
    expect((quota['spec'] as { hard: Record<string, string> }).hard).toMatchObject({ configmaps: '50', 'count/deployments.apps': '20', secrets: '50' });

    const first = await service.apply(user, 'clusterip-basics', configMaps(0, 45));
    const second = await service.apply(user, 'clusterip-basics', configMaps(45, 10));
    const results = [...first, ...second];
    const failed = results.filter((r) => r.action === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.message).toMatch(/^configmaps "cm-\d+" is forbidden: exceeded quota: learner-quota, requested: configmaps=1, used: configmaps=50, limited: configmaps=50$/);
    const live = await h.admin.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: environment.namespace });
    expect(live.length).toBe(50);
  });
});
