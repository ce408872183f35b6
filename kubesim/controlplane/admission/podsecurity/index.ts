// PodSecurity admission: the namespace's pod-security.kubernetes.io labels decide.
// - Pods: the enforce level refuses (403 `pods "x" is forbidden: violates PodSecurity
//   "baseline:latest": ...`); otherwise the warn level answers with a Warning
//   (`would violate PodSecurity "restricted:latest": ...`).
// - Workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
//   ReplicationController, PodTemplate): never refused, only warned at the warn level;
//   their Pods meet the enforce level when the controller creates them.
// - Namespaces: invalid labels are 422 on create (and on update when they change);
//   tightening enforce warns about the existing Pods that would now be refused.
// - Pod updates are checked only when something significant changed (containers
//   added or removed, an image, a seccomp annotation, an ephemeral container).
// Audit would only annotate the audit log, which kubesim does not keep; no exemptions.
// Source: staging/src/k8s.io/pod-security-admission/admission/admission.go,
//         plugin/pkg/admission/security/podsecurity/admission.go

import { forbidden, invalid } from '../../../core/errors.ts';
import type { AdmissionOperation, AdmissionPlugin, RequestContext } from '../../../core/strategy.ts';
import type { KubeObject } from '../../../core/types.ts';
import { at, jsonEqual, rec, recs, str, strMap, type Rec } from '../../util/obj.ts';
import { evaluatePod, forbiddenDetail, forbiddenReason } from './checks.ts';
import {
  compareLevels, levelVersionString, policyFromLabels, sameLevelVersion, versionString, type LevelVersion, type Policy,
} from './policy.ts';

/** Pod subresources that cannot change the pod spec (ignoredPodSubresources). */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

/** Where each pod controller keeps its Pod template (DefaultPodSpecExtractor). */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  replicationcontrollers: ['spec', 'template'],
  podtemplates: ['template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

function namespacePolicy(ctx: RequestContext, namespace: string): { policy: Policy; valid: boolean } | undefined {
  const ns = ctx.store.get('namespaces', undefined, namespace);
  if (!ns) return undefined;
  const { policy, errors } = policyFromLabels(ns.metadata.labels);
  return { policy, valid: errors.length === 0 };
}

/** The warn level's warning, if the pod (or template) violates it. */
function warnIfViolates(ctx: RequestContext, policy: Policy, meta: Rec, spec: Rec): void {
  const found = evaluatePod(policy.warn, meta, spec);
  if (found.length > 0) ctx.warn?.(`would violate PodSecurity "${levelVersionString(policy.warn)}": ${forbiddenDetail(found)}`);
}

function containerChanged(c: Rec, old: Rec, annotations: Record<string, string>, oldAnnotations: Record<string, string>): boolean {
  const seccompKey = `container.seccomp.security.alpha.kubernetes.io/${str(c.name) ?? ''}`;
  return str(c.image) !== str(old.image) || annotations[seccompKey] !== oldAnnotations[seccompKey];
}

/** isSignificantPodUpdate: only these changes can make an admitted pod violate. */
export function significantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const annotations = strMap(pod.metadata.annotations);
  const oldAnnotations = strMap(old.metadata.annotations);
  for (const list of ['containers', 'initContainers'] as const) {
    const now = recs(at(pod, 'spec', list));
    const before = recs(at(old, 'spec', list));
    if (now.length !== before.length) return true;
    if (now.some((c, i) => containerChanged(c, before[i] ?? {}, annotations, oldAnnotations))) return true;
  }
  const oldEphemeral = recs(at(old, 'spec', 'ephemeralContainers'));
  return recs(at(pod, 'spec', 'ephemeralContainers')).some((c) => {
    const before = oldEphemeral.find((o) => str(o.name) === str(c.name));
    return before === undefined || containerChanged(c, before, annotations, oldAnnotations);
  });
}

function validatePod(operation: AdmissionOperation, pod: KubeObject, old: KubeObject | undefined, ctx: RequestContext): void {
  if (ctx.subresource !== undefined && IGNORED_POD_SUBRESOURCES.has(ctx.subresource)) return;
  const ns = namespacePolicy(ctx, pod.metadata.namespace ?? '');
  if (!ns) return;
  const { policy, valid } = ns;
  if (valid && policy.enforce.level === 'privileged' && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
  if (operation === 'UPDATE' && old && !significantPodUpdate(pod, old)) return;
  const meta = { ...pod.metadata };
  const spec = rec(pod['spec']) ?? {};
  const refused = evaluatePod(policy.enforce, meta, spec);
  if (refused.length > 0) {
    const name = pod.metadata.name ?? '';
    throw forbidden(
      `pods "${name}" is forbidden: violates PodSecurity "${levelVersionString(policy.enforce)}": ${forbiddenDetail(refused)}`,
      { name, kind: 'pods' },
    );
  }
  warnIfViolates(ctx, policy, meta, spec);
}

function validateController(obj: KubeObject, ctx: RequestContext, path: readonly string[]): void {
  if (ctx.subresource !== undefined) return;
  const ns = namespacePolicy(ctx, obj.metadata.namespace ?? '');
  if (!ns) return;
  const { policy, valid } = ns;
  if (valid && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
  const template = rec(at(obj, ...path));
  if (!template) return;
  warnIfViolates(ctx, policy, rec(template.metadata) ?? {}, rec(template.spec) ?? {});
}

/** EvaluatePodsInNamespace: which existing pods the new enforce level would refuse. */
function existingPodWarnings(ctx: RequestContext, namespace: string, enforce: LevelVersion): string[] {
  const byReason = new Map<string, { first: string; count: number }>();
  for (const pod of ctx.store.list('pods', namespace)) {
    const found = evaluatePod(enforce, { ...pod.metadata }, rec(pod['spec']) ?? {});
    if (found.length === 0) continue;
    const reason = forbiddenReason(found);
    const seen = byReason.get(reason);
    if (!seen) byReason.set(reason, { first: pod.metadata.name, count: 1 });
    else byReason.set(reason, { first: pod.metadata.name < seen.first ? pod.metadata.name : seen.first, count: seen.count + 1 });
  }
  if (byReason.size === 0) return [];
  const perPod = [...byReason].map(([reason, { first, count }]) => {
    if (count === 1) return `${first}: ${reason}`;
    return `${first} (and ${count - 1} other ${count === 2 ? 'pod' : 'pods'}): ${reason}`;
  }).sort();
  return [`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`, ...perPod];
}

function validateNamespace(operation: AdmissionOperation, ns: KubeObject, old: KubeObject | undefined, ctx: RequestContext): void {
  if (ctx.subresource !== undefined) return;
  const next = policyFromLabels(ns.metadata.labels);
  const name = ns.metadata.name ?? '';
  if (operation === 'CREATE') {
    if (next.errors.length > 0) throw invalid('Namespace', '', name, next.errors);
    return;
  }
  if (operation !== 'UPDATE' || !old) return;
  const before = policyFromLabels(old.metadata.labels);
  if (next.errors.length > 0 && (before.errors.length === 0 || !jsonEqual(next.errors, before.errors))) {
    throw invalid('Namespace', '', name, next.errors);
  }
  const enforce = next.policy.enforce;
  const was = before.policy.enforce;
  if (sameLevelVersion(enforce, was) || enforce.level === 'privileged') return;
  // Same version and no stricter level: nothing admitted before can be refused now.
  if (versionString(enforce.version) === versionString(was.version) && compareLevels(enforce.level, was.level) < 1) return;
  for (const warning of existingPodWarnings(ctx, name, enforce)) ctx.warn?.(warning);
}

export const podSecurityAdmission: AdmissionPlugin = {
  name: 'PodSecurity',
  admit(operation, obj, old, ctx) {
    if (operation !== 'CREATE' && operation !== 'UPDATE') return;
    const key = ctx.resource.key;
    if (key === 'namespaces') return validateNamespace(operation, obj, old, ctx);
    if (key === 'pods') return validatePod(operation, obj, old, ctx);
    const path = TEMPLATE_PATHS[key];
    if (path) validateController(obj, ctx, path);
  },
};
