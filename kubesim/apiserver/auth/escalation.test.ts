import { describe, expect, it } from 'vitest';
import { uncovered } from './escalation.ts';
import { PolicyRule } from './types.ts';

const rule = (r: Partial<Record<'verbs' | 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs', string[]>>) => PolicyRule.parse(r);

describe('RBAC escalation: which wanted rules the owner does not cover (policy_comparator.go)', () => {
  it('wildcards cover everything; exact rules cover only themselves, verb by verb', () => {
    const all = [rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] })];
    expect(uncovered(all, [rule({ verbs: ['get', 'delete'], apiGroups: ['apps'], resources: ['deployments'] })])).toEqual([]);
    const owner = [rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] })];
    expect(uncovered(owner, [rule({ verbs: ['get', 'create'], apiGroups: [''], resources: ['pods', 'services'] })])).toEqual([
      { verb: 'get', group: '', resource: 'services' },
      { verb: 'create', group: '', resource: 'pods' },
      { verb: 'create', group: '', resource: 'services' },
    ]);
  });

  it('"*/status" covers every status subresource, but "pods" does not cover "pods/exec"', () => {
    const owner = [rule({ verbs: ['get'], apiGroups: [''], resources: ['*/status', 'pods'] })];
    expect(uncovered(owner, [rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/status', 'services/status'] })])).toEqual([]);
    expect(uncovered(owner, [rule({ verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] })])).toHaveLength(1);
  });

  it('a named rule covers only its names, and cannot grant the unnamed rule', () => {
    const owner = [rule({ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['a'] })];
    expect(uncovered(owner, [rule({ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['a'] })])).toEqual([]);
    expect(uncovered(owner, [rule({ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['b'] })])).toHaveLength(1);
    expect(uncovered(owner, [rule({ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] })])).toHaveLength(1);
  });

  it('non-resource URLs match exactly or by a trailing * prefix', () => {
    const owner = [rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] })];
    expect(uncovered(owner, [rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/api/v1'] })])).toEqual([]);
    expect(uncovered(owner, [rule({ verbs: ['get'], nonResourceURLs: ['/metrics'] })])).toEqual([{ verb: 'get', url: '/metrics' }]);
  });
});
