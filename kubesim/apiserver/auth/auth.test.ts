// Authentication (admin and ServiceAccount tokens) and RBAC, with the apiserver's exact messages.
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import type { StatusError } from '../../core/errors.ts';
import { Store } from '../../core/store.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { type Auth, type RequestAttributes, createAuth } from './index.ts';

const RBAC = 'rbac.authorization.k8s.io';
const ADMIN_TOKEN = 'admin-secret-token';

let clock: ManualClock;
let store: Store;
let auth: Auth;
let uid = 0;

function ns(name: string): void {
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
function sa(namespace: string, name: string): StoredObject {
  return store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
}
function role(namespace: string | undefined, name: string, rules: Record<string, unknown>[]): void {
  const kind = namespace ? 'Role' : 'ClusterRole';
  store.create(`${RBAC}/${namespace ? 'roles' : 'clusterroles'}`, { apiVersion: `${RBAC}/v1`, kind, metadata: { name, namespace }, rules });
}
function bind(namespace: string | undefined, name: string, roleRef: { kind: string; name: string }, subjects: Record<string, unknown>[]): void {
  const kind = namespace ? 'RoleBinding' : 'ClusterRoleBinding';
  store.create(`${RBAC}/${namespace ? 'rolebindings' : 'clusterrolebindings'}`, {
    apiVersion: `${RBAC}/v1`, kind, metadata: { name, namespace }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects,
  });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tokenRequest = (spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec });
function issue(namespace: string, account: StoredObject, spec: Record<string, unknown> = {}): string {
  const out = auth.issueServiceAccountToken(namespace, account, tokenRequest(spec));
  return (out.status as { token: string }).token;
}

beforeEach(() => {
  clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  store = new Store({ clock, newUid: () => `uid-${++uid}` });
  auth = createAuth({ store, clock, adminToken: ADMIN_TOKEN });
  for (const n of ['a', 'b']) ns(n);
});

describe('authentication', () => {
  it('maps the admin token to kubernetes-admin in system:masters', () => {
    expect(auth.authenticate(bearer(ADMIN_TOKEN))).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    expect(auth.authenticate({ authorization: `bearer   ${ADMIN_TOKEN}` })?.username).toBe('kubernetes-admin');
  });

  it.each([[{}], [{ authorization: 'Basic YTpi' }], [bearer('nope')], [bearer('a.b.c')], [{ authorization: 'Bearer' }]])('rejects %j', (headers) => {
    expect(auth.authenticate(headers)).toBeUndefined();
  });

  it('round-trips a ServiceAccount token and answers a TokenRequest', () => {
    const account = sa('a', 'learner');
    const out = auth.issueServiceAccountToken('a', account, tokenRequest());
    expect(out).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'learner', namespace: 'a' },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 },
      status: { expirationTimestamp: '2026-01-01T01:00:00Z' },
    });
    const token = (out.status as { token: string }).token;
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:a:learner', 'kubernetes.io': { namespace: 'a', serviceaccount: { name: 'learner', uid: account.metadata.uid } } });
    expect(auth.authenticate(bearer(token))).toEqual({
      username: 'system:serviceaccount:a:learner',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated'],
    });
  });

  it.each([
    [undefined, 3599, true],
    [undefined, 3600, false],
    [7200, 7199, true],
    [7200, 7200, false],
  ])('expirationSeconds=%s: valid after %ss → %s', (seconds, after, valid) => {
    const token = issue('a', sa('a', 'learner'), seconds ? { expirationSeconds: seconds } : {});
    clock.advance(after * 1000);
    expect(auth.authenticate(bearer(token)) !== undefined).toBe(valid);
  });

  it('refuses expirationSeconds under 10 minutes as the apiserver does', () => {
    let err: StatusError | undefined;
    try {
      issue('a', sa('a', 'learner'), { expirationSeconds: 60 });
    } catch (e) {
      err = e as StatusError;
    }
    expect(err?.toStatus()).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    });
  });

  it.each([
    ['deleting the ServiceAccount', () => store.remove('serviceaccounts', 'a', 'learner')],
    ['recreating it (new uid)', () => { store.remove('serviceaccounts', 'a', 'learner'); sa('a', 'learner'); }],
    ['deleting the namespace', () => store.remove('namespaces', undefined, 'a')],
  ])('revokes the token on %s', (_name, act) => {
    const token = issue('a', sa('a', 'learner'));
    expect(auth.authenticate(bearer(token))).toBeDefined();
    act();
    expect(auth.authenticate(bearer(token))).toBeUndefined();
  });

  it('rejects a tampered payload, another cluster\'s signature, and foreign audiences', () => {
    const account = sa('a', 'learner');
    const token = issue('a', account);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:a:admin' })).toString('base64url');
    expect(auth.authenticate(bearer(`${h}.${forged}.${s}`))).toBeUndefined();
    const other = createAuth({ store, clock, adminToken: 'x' });
    expect(other.authenticate(bearer(token))).toBeUndefined();
    expect(auth.authenticate(bearer(issue('a', account, { audiences: ['vault'] })))).toBeUndefined();
  });
});

const learner: UserInfo = { username: 'system:serviceaccount:a:learner', groups: ['system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated'] };
const jane: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, resource: string, namespace?: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  verb, group: '', resource, namespace, path: `/api/v1/${resource}`, resourceRequest: true, ...extra,
});

describe('RBAC', () => {
  beforeEach(() => {
    role('a', 'pod-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }]);
    bind('a', 'learner-reads', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'ServiceAccount', name: 'learner', namespace: 'a' }]);
    role(undefined, 'svc-editor', [{ apiGroups: [''], resources: ['services'], verbs: ['*'] }, { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update', 'patch'] }]);
    bind('b', 'learner-svc', { kind: 'ClusterRole', name: 'svc-editor' }, [{ kind: 'ServiceAccount', name: 'learner', namespace: 'a' }]);
    role('a', 'one-cm', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'update'] }, { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]);
    bind('a', 'jane-cm', { kind: 'Role', name: 'one-cm' }, [{ kind: 'User', name: 'jane' }]);
    role(undefined, 'node-viewer', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }, { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] }]);
    bind(undefined, 'devs-nodes', { kind: 'ClusterRole', name: 'node-viewer' }, [{ kind: 'Group', name: 'devs' }]);
    // A ServiceAccount subject without namespace means the binding's namespace.
    bind('b', 'local-sa', { kind: 'Role', name: 'missing-role' }, [{ kind: 'ServiceAccount', name: 'helper' }]);
  });

  it.each<[string, UserInfo, RequestAttributes, boolean]>([
    ['Role grants in its namespace', learner, res('list', 'pods', 'a'), true],
    ['Role grants a listed subresource', learner, res('get', 'pods', 'a', { subresource: 'log', name: 'web-1' }), true],
    ['Role refused in another namespace', learner, res('list', 'pods', 'b'), false],
    ['Role does not grant other verbs', learner, res('delete', 'pods', 'a', { name: 'web-1' }), false],
    ['Role does not grant an unlisted subresource', learner, res('create', 'pods', 'a', { subresource: 'exec', name: 'web-1' }), false],
    ['namespaced Role never grants cluster-wide list', learner, res('list', 'pods'), false],
    ['ClusterRole via RoleBinding grants in the binding namespace', learner, res('delete', 'services', 'b', { name: 'web' }), true],
    ['ClusterRole via RoleBinding is limited to that namespace', learner, res('delete', 'services', 'a', { name: 'web' }), false],
    ['*/scale matches deployments/scale', learner, res('patch', 'deployments', 'b', { group: 'apps', subresource: 'scale', name: 'web' }), true],
    ['*/scale does not match the deployment itself', learner, res('patch', 'deployments', 'b', { group: 'apps', name: 'web' }), false],
    ['resourceNames allow the named object', jane, res('get', 'configmaps', 'a', { name: 'settings' }), true],
    ['resourceNames refuse other names', jane, res('get', 'configmaps', 'a', { name: 'other' }), false],
    ['resourceNames refuse list', jane, res('list', 'configmaps', 'a'), false],
    ['pods/exec create', jane, res('create', 'pods', 'a', { subresource: 'exec', name: 'web-1' }), true],
    ['pods/exec does not grant pods', jane, res('create', 'pods', 'a'), false],
    ['Group subject via ClusterRoleBinding, cluster scope', jane, res('list', 'nodes'), true],
    ['nonResourceURL exact', jane, { verb: 'get', group: '', path: '/metrics', resourceRequest: false }, true],
    ['nonResourceURL prefix *', jane, { verb: 'get', group: '', path: '/logs/kubelet.log', resourceRequest: false }, true],
    ['nonResourceURL other path', jane, { verb: 'get', group: '', path: '/debug', resourceRequest: false }, false],
    ['discovery for every authenticated user', learner, { verb: 'get', group: '', path: '/apis/apps/v1', resourceRequest: false }, true],
    ['SelfSubjectAccessReview for every authenticated user', learner, res('create', 'selfsubjectaccessreviews', undefined, { group: 'authorization.k8s.io' }), true],
    ['system:masters may do anything', { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, res('delete', 'nodes', undefined, { name: 'n' }), true],
  ])('%s', (_name, user, attrs, allowed) => {
    expect(auth.authorize(user, attrs).allowed).toBe(allowed);
  });

  it('explains an allow like the RBAC authorizer', () => {
    expect(auth.authorize(learner, res('delete', 'services', 'b', { name: 'web' })).reason).toBe(
      'RBAC: allowed by RoleBinding "learner-svc/b" of ClusterRole "svc-editor" to ServiceAccount "learner/a"',
    );
  });

  it.each<[string, UserInfo, RequestAttributes, string, Record<string, unknown>]>([
    ['namespaced list', learner, res('list', 'pods', 'b'),
      'pods is forbidden: User "system:serviceaccount:a:learner" cannot list resource "pods" in API group "" in the namespace "b"', { kind: 'pods' }],
    ['cluster scope', learner, res('list', 'nodes'),
      'nodes is forbidden: User "system:serviceaccount:a:learner" cannot list resource "nodes" in API group "" at the cluster scope', { kind: 'nodes' }],
    ['named object in a group', learner, res('get', 'deployments', 'a', { group: 'apps', name: 'web' }),
      'deployments.apps "web" is forbidden: User "system:serviceaccount:a:learner" cannot get resource "deployments" in API group "apps" in the namespace "a"', { group: 'apps', kind: 'deployments', name: 'web' }],
    ['subresource', learner, res('create', 'pods', 'a', { subresource: 'exec', name: 'web-1' }),
      'pods "web-1" is forbidden: User "system:serviceaccount:a:learner" cannot create resource "pods/exec" in API group "" in the namespace "a"', { kind: 'pods', name: 'web-1' }],
    ['non-resource path', learner, { verb: 'get', group: '', path: '/metrics', resourceRequest: false },
      'forbidden: User "system:serviceaccount:a:learner" cannot get path "/metrics"', {}],
    ['binding to a missing role', { username: 'system:serviceaccount:b:helper', groups: ['system:authenticated'] }, res('get', 'secrets', 'b', { name: 's' }),
      'secrets "s" is forbidden: User "system:serviceaccount:b:helper" cannot get resource "secrets" in API group "" in the namespace "b": RBAC: role.rbac.authorization.k8s.io "missing-role" not found', { kind: 'secrets', name: 's' }],
  ])('forbidden message: %s', (_name, user, attrs, message, details) => {
    expect(auth.authorize(user, attrs).allowed).toBe(false);
    expect(auth.forbiddenError(user, attrs).toStatus()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden', message, details,
    });
  });

  it('sees RBAC changes immediately', () => {
    expect(auth.authorize(learner, res('list', 'secrets', 'a')).allowed).toBe(false);
    bind('a', 'learner-view', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'learner', namespace: 'a' }]);
    expect(auth.authorize(learner, res('list', 'secrets', 'a')).allowed).toBe(true);
    store.remove(`${RBAC}/rolebindings`, 'a', 'learner-view');
    expect(auth.authorize(learner, res('list', 'secrets', 'a')).allowed).toBe(false);
  });
});

describe('default roles', () => {
  it.each([
    ['view', res('list', 'pods', 'a'), true],
    ['view', res('list', 'secrets', 'a'), false],
    ['view', res('list', 'endpointslices', 'a', { group: 'discovery.k8s.io' }), true],
    ['edit', res('create', 'deployments', 'a', { group: 'apps' }), true],
    ['edit', res('create', 'pods', 'a', { subresource: 'exec', name: 'p' }), true],
    ['edit', res('create', 'rolebindings', 'a', { group: RBAC }), false],
    ['admin', res('create', 'rolebindings', 'a', { group: RBAC }), true],
    ['cluster-admin', res('delete', 'nodes', undefined, { name: 'n' }), true],
  ])('%s: %j → %s', (clusterRole, attrs, allowed) => {
    bind('a', 'grant', { kind: 'ClusterRole', name: clusterRole }, [{ kind: 'User', name: 'jane' }]);
    if (clusterRole === 'cluster-admin') bind(undefined, 'grant', { kind: 'ClusterRole', name: clusterRole }, [{ kind: 'User', name: 'jane' }]);
    expect(auth.authorize(jane, attrs).allowed).toBe(allowed);
  });

  it('bootstraps once, leaving existing roles as they are', () => {
    const before = store.list(`${RBAC}/clusterroles`).map((r) => r.metadata.name);
    expect(before).toEqual(expect.arrayContaining(['cluster-admin', 'admin', 'edit', 'view', 'system:discovery']));
    createAuth({ store, clock, adminToken: ADMIN_TOKEN });
    expect(store.list(`${RBAC}/clusterroles`).map((r) => r.metadata.name)).toEqual(before);
  });
});

describe('self reviews', () => {
  beforeEach(() => {
    role('a', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    bind('a', 'learner-reads', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'ServiceAccount', name: 'learner', namespace: 'a' }]);
  });
  const ssar = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ resourceAttributes: { namespace: 'a', verb: 'list', resource: 'pods' } }, { allowed: true, reason: 'RBAC: allowed by RoleBinding "learner-reads/a" of Role "pod-reader" to ServiceAccount "learner/a"' }],
    [{ resourceAttributes: { namespace: 'b', verb: 'list', resource: 'pods' } }, { allowed: false }],
    [{ nonResourceAttributes: { path: '/api', verb: 'get' } }, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' }],
  ])('SelfSubjectAccessReview %j', (spec, status) => {
    expect(auth.reviewAccess(learner, ssar(spec))).toEqual({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec, status });
  });

  it('refuses a review with neither attribute set', () => {
    expect(() => auth.reviewAccess(learner, ssar({}))).toThrow(/exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  });

  it('lists the rules that apply in a namespace', () => {
    const review = auth.reviewRules(learner, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'a' } });
    const status = review.status as { resourceRules: unknown[]; nonResourceRules: { nonResourceURLs: string[] }[]; incomplete: boolean };
    expect(status.resourceRules).toContainEqual({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });
    expect(status.resourceRules).toContainEqual({ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] });
    expect(status.nonResourceRules.some((r) => r.nonResourceURLs.includes('/api'))).toBe(true);
    expect(status.incomplete).toBe(false);
    const elsewhere = auth.reviewRules(learner, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'b' } });
    expect((elsewhere.status as { resourceRules: unknown[] }).resourceRules).not.toContainEqual({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });
  });
});
