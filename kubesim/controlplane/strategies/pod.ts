// Pod strategy: defaults (including what the ServiceAccount, DefaultTolerationSeconds
// and Priority admission plugins add), validation, and the narrow set of spec fields
// an update may change.
// Sources: pkg/registry/core/pod/strategy.go, pkg/apis/core/validation/validation.go (ValidatePodUpdate),
//          plugin/pkg/admission/serviceaccount, plugin/pkg/admission/defaulttolerationseconds

import type { FieldError } from '../../core/errors.ts';
import type { RequestContext, ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { forbiddenField } from '../util/fielderr.ts';
import { dns1123Subdomain } from '../util/names.ts';
import { child, rec, recs, stableJson, str } from '../util/obj.ts';
import { validateMeta, validateMetaUpdate } from './meta.ts';
import { defaultPodSpec, validatePodSpec } from './podspec.ts';

const NOT_READY_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** Guaranteed when every container's requests equal its limits, BestEffort when none are set. */
export function qosClass(spec: Record<string, unknown>): string {
  const containers = recs(spec.containers);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = child(c, 'resources');
    const req = child(res, 'requests');
    const lim = child(res, 'limits');
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && stableJson(req[r]) !== stableJson(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function prepareForCreate(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  defaultPodSpec(spec);
  if (!str(spec.serviceAccountName)) spec.serviceAccountName = str(spec.serviceAccount) || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.priority === undefined) spec.priority = str(spec.priorityClassName)?.startsWith('system-') ? 2000000000 : 0;
  if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = 'PreemptLowerPriority';
  const tolerations = recs(spec.tolerations);
  for (const t of NOT_READY_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && (x.effect === undefined || x.effect === t.effect))) tolerations.push({ ...t });
  }
  spec.tolerations = tolerations;
  // SetDefaults_Pod: a limit without a request requests the limit.
  for (const c of recs(spec.containers)) {
    const res = child(c, 'resources');
    const limits = rec(res.limits);
    if (!limits) continue;
    const requests = child(res, 'requests');
    for (const [r, v] of Object.entries(limits)) if (requests[r] === undefined) requests[r] = v;
  }
  // Fresh Pods start Pending with no conditions; the scheduler and kubelet take it from here.
  obj.status = { phase: 'Pending', qosClass: qosClass(spec) };
}

function validateCreate(obj: KubeObject): FieldError[] {
  return [...validateMeta(obj, dns1123Subdomain, true), ...validatePodSpec(child(obj, 'spec'), 'spec', ['Always', 'OnFailure', 'Never'])];
}

/** Only images, activeDeadlineSeconds and added tolerations may change (ValidatePodUpdate). */
const MUTABLE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function comparable(spec: Record<string, unknown>): string {
  const copy = structuredClone(spec);
  for (const c of [...recs(copy.containers), ...recs(copy.initContainers)]) delete c.image;
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  return stableJson(copy);
}

function prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): void {
  if (ctx.subresource === 'status') {
    // A status write never changes spec.
    obj.spec = old.spec;
    return;
  }
  const spec = child(obj, 'spec');
  defaultPodSpec(spec);
  const oldSpec = child(old, 'spec');
  // Fields set at creation or by binding survive an update that omits them.
  for (const k of ['nodeName', 'serviceAccountName', 'serviceAccount', 'enableServiceLinks', 'priority', 'preemptionPolicy', 'tolerations']) {
    if (spec[k] === undefined && oldSpec[k] !== undefined) spec[k] = oldSpec[k];
  }
  // A spec update never changes status (status has its own subresource).
  obj.status = old.status;
}

function validateUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[] {
  if (ctx.subresource === 'status') return [];
  const errs = [...validateMetaUpdate(obj, old), ...validatePodSpec(child(obj, 'spec'), 'spec', ['Always', 'OnFailure', 'Never'])];
  if (comparable(child(obj, 'spec')) !== comparable(child(old, 'spec'))) errs.push(forbiddenField('spec', MUTABLE_MESSAGE));
  return errs;
}

export const podStrategy: ResourceStrategy = { prepareForCreate, validateCreate, prepareForUpdate, validateUpdate };
