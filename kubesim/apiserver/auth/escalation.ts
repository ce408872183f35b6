// RBAC escalation prevention: a user may write a Role or ClusterRole only with
// permissions they already hold (or with the `escalate` verb), and bind a role only
// when they hold its permissions (or have `bind` on it). Without this a namespace
// admin could grant themselves anything, and a deployment's ClusterRole could look
// sufficient here while a real cluster refuses its Role writes.
// Source: pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go,
// pkg/registry/rbac/escalation_check.go (EscalationAllowed, RoleEscalationAuthorized,
// BindingAuthorized), pkg/registry/rbac/validation/policy_comparator.go (Covers,
// ruleCovers), pkg/registry/rbac/validation/rule.go (ConfirmNoEscalation),
// pkg/apis/rbac/v1/helpers.go (CompactString).

import { forbidden, notFound, type StatusError } from '../../core/errors.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import type { RbacIndex } from './rbac.ts';
import { Binding, PolicyRule, type RequestAttributes } from './types.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RESOURCES = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'] as const;
type RbacResource = (typeof RESOURCES)[number];

export function rbacResourceOf(resourceKey: string): RbacResource | undefined {
  const plural = resourceKey.startsWith(`${RBAC_GROUP}/`) ? resourceKey.slice(RBAC_GROUP.length + 1) : '';
  return (RESOURCES as readonly string[]).includes(plural) ? (plural as RbacResource) : undefined;
}

type Decide = (user: UserInfo, attrs: RequestAttributes) => { allowed: boolean };

/** One verb on one group/resource (and name), or on one non-resource URL. */
interface AtomicRule {
  verb: string;
  group?: string;
  resource?: string;
  resourceName?: string;
  url?: string;
}

function breakdown(rule: PolicyRule): AtomicRule[] {
  const out: AtomicRule[] = [];
  for (const verb of rule.verbs) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        if (rule.resourceNames.length === 0) out.push({ verb, group, resource });
        for (const resourceName of rule.resourceNames) out.push({ verb, group, resource, resourceName });
      }
    }
    for (const url of rule.nonResourceURLs) out.push({ verb, url });
  }
  return out;
}

function resourceCovers(owned: readonly string[], wanted: string): boolean {
  if (owned.includes('*') || owned.includes(wanted)) return true;
  const slash = wanted.indexOf('/');
  return slash >= 0 && owned.includes(`*${wanted.slice(slash)}`);
}

function urlCovers(owned: readonly string[], wanted: string): boolean {
  return owned.some((u) => u === wanted || (u.endsWith('*') && wanted.startsWith(u.replace(/\*+$/, ''))));
}

function ruleCovers(owner: PolicyRule, want: AtomicRule): boolean {
  if (!(owner.verbs.includes('*') || owner.verbs.includes(want.verb))) return false;
  if (want.url !== undefined) return urlCovers(owner.nonResourceURLs, want.url);
  if (!(owner.apiGroups.includes('*') || owner.apiGroups.includes(want.group!))) return false;
  if (!resourceCovers(owner.resources, want.resource!)) return false;
  if (want.resourceName === undefined) return owner.resourceNames.length === 0;
  return owner.resourceNames.length === 0 || owner.resourceNames.includes(want.resourceName);
}

/** The atomic rules of `wanted` that no rule in `owned` covers. */
export function uncovered(owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): AtomicRule[] {
  return wanted.flatMap(breakdown).filter((atom) => !owned.some((o) => ruleCovers(o, atom)));
}

const quoted = (items: readonly string[]) => `[${items.map((s) => JSON.stringify(s)).join(' ')}]`;

/**
 * CompactString after CompactRules: resource rules on one group and resource (and
 * no name) merge their verbs; fields print in Go's struct order.
 */
function describeMissing(missing: readonly AtomicRule[]): string {
  const merged = new Map<string, { fields: [string, string[]][]; verbs: string[] }>();
  for (const atom of missing) {
    const fields: [string, string[]][] =
      atom.url !== undefined
        ? [['NonResourceURLs', [atom.url]]]
        : [['APIGroups', [atom.group!]], ['Resources', [atom.resource!]], ...(atom.resourceName !== undefined ? [['ResourceNames', [atom.resourceName]] as [string, string[]]] : [])];
    // Only simple resource rules compact; named and URL rules stay one per verb.
    const key = atom.url === undefined && atom.resourceName === undefined ? JSON.stringify(fields) : JSON.stringify([fields, atom.verb]);
    const entry = merged.get(key) ?? { fields, verbs: [] };
    if (!entry.verbs.includes(atom.verb)) entry.verbs.push(atom.verb);
    merged.set(key, entry);
  }
  const lines = [...merged.values()].map(({ fields, verbs }) =>
    `{${[...fields, ['Verbs', verbs] as [string, string[]]].map(([name, values]) => `${name}:${quoted(values)}`).join(', ')}}`,
  );
  return [...new Set(lines)].sort().join('\n');
}

export interface EscalationCheck {
  /** Throws 403 (or 404 for a binding to a missing role) when the write would grant what the user does not hold. */
  confirm(user: UserInfo, resourceKey: string, obj: KubeObject, old: KubeObject | undefined): void;
}

/** Writes that only touch what garbage collection manages are never escalations (IsOnlyMutatingGCFields). */
function onlyGcFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, resourceVersion: _r, managedFields: _m, generation: _g, ...meta } = o.metadata;
    return JSON.stringify({ ...o, metadata: meta });
  };
  return strip(obj) === strip(old);
}

export function escalationCheck(index: RbacIndex, decide: Decide, isPrivileged: (user: UserInfo) => boolean): EscalationCheck {
  const ownedRules = (user: UserInfo, namespace: string | undefined) =>
    index.rulesFor(user, namespace).sources.flatMap((s) => s.rules);

  const refuse = (resource: RbacResource, name: string, user: UserInfo, missing: AtomicRule[]): StatusError =>
    forbidden(
      `${resource}.${RBAC_GROUP} "${name}" is forbidden: user ${JSON.stringify(user.username)} (groups=${quoted(user.groups)}) ` +
        `is attempting to grant RBAC permissions not currently held:\n${describeMissing(missing)}`,
      { name, group: RBAC_GROUP, kind: resource },
    );

  const allowed = (user: UserInfo, verb: string, resource: string, namespace: string | undefined, name: string) =>
    decide(user, {
      verb,
      group: RBAC_GROUP,
      resource,
      ...(namespace ? { namespace } : {}),
      name,
      path: '',
      resourceRequest: true,
    }).allowed;

  return {
    confirm(user, resourceKey, obj, old) {
      const resource = rbacResourceOf(resourceKey);
      if (!resource || isPrivileged(user)) return;
      if (old && onlyGcFieldsChanged(obj, old)) return;
      const name = obj.metadata.name ?? '';
      const namespace = resource === 'roles' || resource === 'rolebindings' ? obj.metadata.namespace : undefined;

      if (resource === 'roles' || resource === 'clusterroles') {
        if (allowed(user, 'escalate', resource, namespace, name)) return;
        const rules = PolicyRule.array().safeParse(obj['rules'] ?? []);
        // Malformed rules are validation's to refuse, with field paths.
        if (!rules.success) return;
        const missing = uncovered(ownedRules(user, namespace), rules.data);
        if (missing.length > 0) throw refuse(resource, name, user, missing);
        return;
      }

      const binding = Binding.safeParse(obj);
      if (!binding.success) return;
      const ref = binding.data.roleRef;
      const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : undefined;
      if (!refResource) return;
      if (allowed(user, 'bind', refResource, namespace, ref.name)) return;
      const role = index.role(refResource, namespace, ref.name);
      if (!role) throw notFound(refResource, RBAC_GROUP, ref.name);
      const missing = uncovered(ownedRules(user, namespace), role.rules);
      if (missing.length > 0) throw refuse(resource, name, user, missing);
    },
  };
}
