// The RBAC authorizer: walk every binding that names the user (ClusterRoleBindings,
// then RoleBindings in the request's namespace), resolve its role, and allow as soon
// as one rule matches. Missing roles are collected as errors, which the apiserver
// appends to the Forbidden message ("RBAC: clusterrole... not found").
// Source: plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows, authorizingVisitor),
// pkg/registry/rbac/validation/rule.go (VisitRulesFor, appliesTo, describers),
// pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, ResourceMatches, ...)

import type { UserInfo } from '../../core/strategy.ts';
import type { Store } from '../../core/store.ts';
import { Binding, type PolicyRule, Role, type Subject, SERVICE_ACCOUNT_PREFIX, type RequestAttributes } from './types.ts';

const RBAC = 'rbac.authorization.k8s.io';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) {
    return rule.nonResourceURLs.some((u) => u === '*' || u === attrs.path || (u.endsWith('*') && attrs.path.startsWith(u.slice(0, -1))));
  }
  if (!rule.apiGroups.some((g) => g === '*' || g === attrs.group)) return false;
  const sub = attrs.subresource ?? '';
  const combined = sub ? `${attrs.resource ?? ''}/${sub}` : (attrs.resource ?? '');
  const resourceOk = rule.resources.some((r) => r === '*' || r === combined || (sub !== '' && r === `*/${sub}`));
  if (!resourceOk) return false;
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(attrs.name ?? '');
}

/** appliesToUser: a ServiceAccount subject without a namespace means the binding's namespace. */
export function subjectMatches(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.username === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns !== '' && user.username === `${SERVICE_ACCOUNT_PREFIX}${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

/** Where a rule came from, worded as the apiserver's reason for an allow. */
function describeBinding(b: Binding, s: Subject): string {
  const ns = b.metadata.namespace;
  const name = ns ? `RoleBinding "${b.metadata.name}/${ns}"` : `ClusterRoleBinding "${b.metadata.name}"`;
  return `${name} of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(s, ns ?? '')}`;
}

export interface RuleSource {
  rules: PolicyRule[];
  source: string;
}

/** Parsed RBAC objects, rebuilt only when the store has changed. */
export class RbacIndex {
  private cachedAt = -1;
  private roles = new Map<string, Role>();
  private clusterRoles = new Map<string, Role>();
  private roleBindings: Binding[] = [];
  private clusterRoleBindings: Binding[] = [];

  constructor(private readonly store: Store) {}

  private refresh(): void {
    if (this.cachedAt === this.store.resourceVersion) return;
    const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, key: string): T[] =>
      // Objects that do not parse as RBAC (should never pass validation) grant nothing.
      this.store.scan(`${RBAC}/${key}`).flatMap((o) => {
        const r = schema.safeParse(o);
        return r.success ? [r.data] : [];
      });
    this.roles = new Map(parse(Role, 'roles').map((r) => [`${r.metadata.namespace ?? ''}/${r.metadata.name}`, r]));
    this.clusterRoles = new Map(parse(Role, 'clusterroles').map((r) => [r.metadata.name, r]));
    this.roleBindings = parse(Binding, 'rolebindings');
    this.clusterRoleBindings = parse(Binding, 'clusterrolebindings');
    this.cachedAt = this.store.resourceVersion;
  }

  private resolve(b: Binding): Role | string {
    const ns = b.metadata.namespace;
    if (b.roleRef.kind === 'ClusterRole') {
      return this.clusterRoles.get(b.roleRef.name) ?? `clusterrole.${RBAC} "${b.roleRef.name}" not found`;
    }
    if (b.roleRef.kind === 'Role' && ns) {
      return this.roles.get(`${ns}/${b.roleRef.name}`) ?? `role.${RBAC} "${b.roleRef.name}" not found`;
    }
    return `unsupported role reference kind: "${b.roleRef.kind}"`;
  }

  /** A Role (in namespace) or ClusterRole by name, as stored now. */
  role(resource: 'roles' | 'clusterroles', namespace: string | undefined, name: string): Role | undefined {
    this.refresh();
    return resource === 'clusterroles' ? this.clusterRoles.get(name) : this.roles.get(`${namespace ?? ''}/${name}`);
  }

  /**
   * VisitRulesFor: rules granted to the user cluster-wide, plus within `namespace`
   * when given. Returns the rule sets in visiting order and the resolution errors.
   */
  rulesFor(user: UserInfo, namespace: string | undefined): { sources: RuleSource[]; errors: string[] } {
    this.refresh();
    const sources: RuleSource[] = [];
    const errors: string[] = [];
    const visit = (bindings: Binding[]) => {
      for (const b of bindings) {
        const subject = b.subjects.find((s) => subjectMatches(user, s, b.metadata.namespace ?? ''));
        if (!subject) continue;
        const role = this.resolve(b);
        if (typeof role === 'string') errors.push(role);
        else sources.push({ rules: role.rules, source: describeBinding(b, subject) });
      }
    };
    visit(this.clusterRoleBindings);
    if (namespace) visit(this.roleBindings.filter((b) => b.metadata.namespace === namespace));
    return { sources, errors };
  }
}

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by ..." or, when denied with errors, "RBAC: <errors>"; "" otherwise. */
  reason: string;
}

/** utilerrors.NewAggregate(...).Error(): one message, or "[a, b]", duplicates dropped. */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

export function authorizeRbac(index: RbacIndex, user: UserInfo, attrs: RequestAttributes): Decision {
  const { sources, errors } = index.rulesFor(user, attrs.resourceRequest ? attrs.namespace : undefined);
  for (const { rules, source } of sources) {
    if (rules.some((r) => ruleAllows(attrs, r))) return { allowed: true, reason: `RBAC: allowed by ${source}` };
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}
