// SelfSubjectAccessReview (`kubectl auth can-i`) and SelfSubjectRulesReview
// (`kubectl auth can-i --list`).
// Source: pkg/registry/authorization/selfsubjectaccessreview/rest.go,
// pkg/registry/authorization/selfsubjectrulesreview/rest.go,
// pkg/apis/authorization/validation (exactly one of resource/nonResource attributes)

import { z } from 'zod';
import { StatusError, badRequest } from '../../core/errors.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import type { RbacIndex } from './rbac.ts';
import type { RequestAttributes } from './types.ts';

const AccessSpec = z.object({
  resourceAttributes: z
    .object({
      namespace: z.string().optional(),
      verb: z.string().optional(),
      group: z.string().optional(),
      version: z.string().optional(),
      resource: z.string().optional(),
      subresource: z.string().optional(),
      name: z.string().optional(),
    })
    .nullish(),
  nonResourceAttributes: z.object({ path: z.string().optional(), verb: z.string().optional() }).nullish(),
});

const RulesSpec = z.object({ namespace: z.string().optional() });

function invalidReview(kind: string, field: string, message: string): StatusError {
  return new StatusError(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${field}: ${message}`, {
    group: 'authorization.k8s.io',
    kind,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  });
}

/** The attributes a SelfSubjectAccessReview asks about. */
export function accessReviewAttributes(review: KubeObject): { attrs: RequestAttributes; spec: Record<string, unknown> } {
  const parsed = AccessSpec.safeParse(review.spec ?? {});
  if (!parsed.success) throw badRequest(`SelfSubjectAccessReview spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { resourceAttributes: ra, nonResourceAttributes: nra } = parsed.data;
  if (!ra === !nra) {
    const value = ra ? 'resourceAttributes' : 'null';
    throw invalidReview('SelfSubjectAccessReview', 'spec.resourceAttributes', `Invalid value: "${value}": exactly one of nonResourceAttributes or resourceAttributes must be specified`);
  }
  const spec = review.spec as Record<string, unknown>;
  if (ra) {
    return {
      spec,
      attrs: {
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
        path: '',
        resourceRequest: true,
      },
    };
  }
  return { spec, attrs: { verb: nra?.verb ?? '', group: '', path: nra?.path ?? '', resourceRequest: false } };
}

export function accessReviewResponse(spec: Record<string, unknown>, allowed: boolean, reason: string): KubeObject {
  const status: Record<string, unknown> = { allowed };
  if (reason) status.reason = reason;
  return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec, status };
}

/** Rules the user holds cluster-wide and in spec.namespace, as RBAC's RulesFor reports them. */
export function rulesReview(index: RbacIndex, user: UserInfo, review: KubeObject): KubeObject {
  const parsed = RulesSpec.safeParse(review.spec ?? {});
  if (!parsed.success) throw badRequest('SelfSubjectRulesReview spec.namespace must be a string');
  const namespace = parsed.data.namespace ?? '';
  const { sources, errors } = index.rulesFor(user, namespace || undefined);
  const resourceRules: Record<string, unknown>[] = [];
  const nonResourceRules: Record<string, unknown>[] = [];
  for (const rule of sources.flatMap((s) => s.rules)) {
    if (rule.resources.length) {
      const r: Record<string, unknown> = { verbs: rule.verbs };
      if (rule.apiGroups.length) r.apiGroups = rule.apiGroups;
      r.resources = rule.resources;
      if (rule.resourceNames.length) r.resourceNames = rule.resourceNames;
      resourceRules.push(r);
    }
    if (rule.nonResourceURLs.length) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
  }
  const status: Record<string, unknown> = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length) status.evaluationError = [...new Set(errors)].join(', ');
  return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: { namespace }, status };
}
