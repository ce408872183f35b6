// Deployment, ReplicaSet and StatefulSet: defaults and validation.
// Sources: pkg/apis/apps/v1/defaults.go, pkg/apis/apps/validation/validation.go
//          (ValidateDeploymentSpec, ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec)

import type { FieldError } from '../../core/errors.ts';
import type { RequestContext, ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { goValue, invalidValue, notSupported, required } from '../util/fielderr.ts';
import { dns1123Subdomain } from '../util/names.ts';
import { child, isRec, num, rec, stableJson, str, strMap } from '../util/obj.ts';
import { selectorMatches } from '../util/selector.ts';
import { validateLabels, validateMeta, validateMetaUpdate } from './meta.ts';
import { defaultPodSpec, validatePodSpec } from './podspec.ts';

type Kind = 'Deployment' | 'ReplicaSet' | 'StatefulSet';

function defaultWorkload(obj: KubeObject, kind: Kind): void {
  const spec = child(obj, 'spec');
  if (num(spec.replicas) === undefined) spec.replicas = 1;
  if (num(spec.revisionHistoryLimit) === undefined && kind !== 'ReplicaSet') spec.revisionHistoryLimit = 10;
  if (kind === 'Deployment') {
    const strategy = child(spec, 'strategy');
    if (!str(strategy.type)) strategy.type = 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = child(strategy, 'rollingUpdate');
      if (ru.maxUnavailable === undefined) ru.maxUnavailable = '25%';
      if (ru.maxSurge === undefined) ru.maxSurge = '25%';
    }
    if (num(spec.progressDeadlineSeconds) === undefined) spec.progressDeadlineSeconds = 600;
  }
  if (kind === 'StatefulSet') {
    if (!str(spec.podManagementPolicy)) spec.podManagementPolicy = 'OrderedReady';
    // Only an omitted type gets rollingUpdate: {partition: 0}; `type: RollingUpdate` alone
    // keeps rollingUpdate nil, which is what makes kubectl rollout status print
    // "statefulset rolling update complete ..." rather than "partitioned roll out complete".
    const us = child(spec, 'updateStrategy');
    if (!str(us.type)) {
      us.type = 'RollingUpdate';
      if (!isRec(us.rollingUpdate)) us.rollingUpdate = {};
    }
    if (us.type === 'RollingUpdate' && isRec(us.rollingUpdate) && num(us.rollingUpdate.partition) === undefined) us.rollingUpdate.partition = 0;
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
    if (!str(retention.whenDeleted)) retention.whenDeleted = 'Retain';
    if (!str(retention.whenScaled)) retention.whenScaled = 'Retain';
  }
  const template = child(spec, 'template');
  child(template, 'metadata');
  defaultPodSpec(child(template, 'spec'));
}

/** Go's %#v of a metav1.LabelSelector (used in selector error messages). */
function selectorValue(sel: unknown): string {
  const ml = strMap(rec(sel)?.matchLabels);
  const labels = Object.keys(ml).length ? goValue(ml) : 'map[string]string(nil)';
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

function validateSpec(obj: KubeObject, kind: Kind): FieldError[] {
  const errs: FieldError[] = [];
  const spec = child(obj, 'spec');
  const replicas = num(spec.replicas) ?? 0;
  if (replicas < 0) errs.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
  const selector = spec.selector;
  const template = child(spec, 'template');
  const templateLabels = strMap(rec(template.metadata)?.labels);
  if (!isRec(selector)) {
    errs.push(required('spec.selector'));
  } else {
    const empty = Object.keys(strMap(selector.matchLabels)).length === 0 && !Array.isArray(selector.matchExpressions);
    if (empty) {
      errs.push({ field: 'spec.selector', type: 'FieldValueInvalid', message: `spec.selector: Invalid value: ${selectorValue(selector)}: empty selector is invalid for deployment` });
    } else if (!selectorMatches(selector, templateLabels)) {
      errs.push(invalidValue('spec.template.metadata.labels', templateLabels, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validateLabels(templateLabels, 'spec.template.metadata.labels'));
  errs.push(...validatePodSpec(child(template, 'spec'), 'spec.template.spec', ['Always']));
  if (kind === 'Deployment') {
    const type = str(rec(spec.strategy)?.type) ?? 'RollingUpdate';
    if (!['Recreate', 'RollingUpdate'].includes(type)) errs.push(notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
  if (kind === 'StatefulSet') {
    const policy = str(spec.podManagementPolicy) ?? 'OrderedReady';
    if (!['OrderedReady', 'Parallel'].includes(policy)) errs.push(notSupported('spec.podManagementPolicy', policy, ['OrderedReady', 'Parallel']));
  }
  return errs;
}

function strategyFor(kind: Kind): ResourceStrategy {
  return {
    prepareForCreate(obj) {
      defaultWorkload(obj, kind);
      delete obj.status;
    },
    validateCreate: (obj) => [...validateMeta(obj, dns1123Subdomain, true), ...validateSpec(obj, kind)],
    prepareForUpdate(obj, old, ctx: RequestContext) {
      if (ctx.subresource === 'status') {
        obj.spec = old.spec;
        return;
      }
      defaultWorkload(obj, kind);
      if (ctx.subresource !== 'scale') obj.status = old.status;
    },
    validateUpdate(obj, old, ctx: RequestContext) {
      if (ctx.subresource === 'status') return [];
      const errs = [...validateMetaUpdate(obj, old), ...validateSpec(obj, kind)];
      // apps/v1 selectors are immutable.
      const sel = rec(obj.spec)?.selector;
      if (stableJson(sel) !== stableJson(rec(old.spec)?.selector)) {
        errs.push({ field: 'spec.selector', type: 'FieldValueInvalid', message: `spec.selector: Invalid value: ${selectorValue(sel)}: field is immutable` });
      }
      if (kind === 'StatefulSet') {
        const mutable = ['replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit'];
        const strip = (spec: unknown) => {
          const copy = structuredClone(rec(spec) ?? {});
          for (const k of mutable) delete copy[k];
          return stableJson(copy);
        };
        if (strip(obj.spec) !== strip(old.spec)) {
          errs.push({
            field: 'spec', type: 'FieldValueForbidden',
            message: "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
          });
        }
      }
      return errs;
    },
  };
}

export const deploymentStrategy = strategyFor('Deployment');
export const replicaSetStrategy = strategyFor('ReplicaSet');
export const statefulSetStrategy = strategyFor('StatefulSet');
