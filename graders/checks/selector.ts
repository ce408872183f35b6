// `selector`: the Service's selector matches exactly the workload's Pods. When it does
// not, say which labels differ, because that is what the learner has to edit.
import { describeRef, findService, findWorkload, formatLabels, isTerminating, matchesSelector, plural, podNames, workloadPods } from '../k8s/objects.ts';
import type { Pod } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import type { CauseOf } from '../causes.ts';
import type { JsonValue } from '../json.ts';
import { fail, pass, type CheckFn } from '../types.ts';

const failed = (message: string, cause: CauseOf<'selector'>, evidence: JsonValue = null) => fail(message, evidence, cause);

/** `tier=back-end on the Pods where the selector says tier=backend`, one phrase per differing key. */
export function labelDifferences(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(selector)
    .filter(([k, v]) => labels[k] !== v)
    .map(([k, v]) => (labels[k] === undefined ? `the Pods have no label ${k} (the selector wants ${k}=${v})` : `the Pods have ${k}=${labels[k]} where the selector wants ${k}=${v}`));
}

// The labels the workload's Pods share: what the learner can put in a selector.
function commonLabels(pods: readonly Pod[]): Record<string, string> {
  const [first, ...rest] = pods;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.metadata.labels).filter(
      ([k, v]) => !['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'].includes(k) && rest.every((p) => p.metadata.labels[k] === v),
    ),
  );
}

export const selectorCheck: CheckFn<CheckParams<'selector'>> = async (params, observed) => {
  const svc = findService(observed, params.service);
  const ref = describeRef(params.workload);
  if (!svc) return failed(`No Service named ${params.service} in your namespace.`, 'no-service');
  if (!findWorkload(observed, params.workload)) return failed(`No ${ref} in your namespace, so there are no Pods for Service ${params.service} to select.`, 'no-workload');
  const selector = svc.spec.selector ?? {};
  const own = workloadPods(observed, params.workload);
  const labels = commonLabels(own);
  const evidence = { selector: formatLabels(selector), podLabels: formatLabels(labels), workloadPods: own.map((p) => p.metadata.name) };
  if (Object.keys(selector).length === 0) {
    return failed(`Service ${params.service} has no selector, so Kubernetes never adds Pods to its endpoints; the Pods of ${ref} are labelled ${formatLabels(labels)}.`, 'no-selector', evidence);
  }
  if (own.length === 0) return failed(`${ref} has no Pods yet, so there is nothing for Service ${params.service} to select.`, 'no-pods', evidence);
  const selected = observed.pods.filter((p) => !isTerminating(p) && matchesSelector(selector, p.metadata.labels));
  const ownNames = new Set(own.map((p) => p.metadata.name));
  const extra = selected.filter((p) => !ownNames.has(p.metadata.name));
  const missed = own.filter((p) => !matchesSelector(selector, p.metadata.labels));
  Object.assign(evidence, { selected: selected.map((p) => p.metadata.name) });
  const sel = formatLabels(selector);
  if (extra.length === 0 && missed.length === 0) {
    return pass(`Service ${params.service} selects ${sel}: exactly the ${plural(own.length, 'Pod')} of ${ref}.`, evidence);
  }
  const parts: string[] = [];
  if (selected.length === 0) {
    parts.push(`Service ${params.service} selects ${sel}, which matches 0 Pods; the Pods of ${ref} are labelled ${formatLabels(labels)}`);
  } else {
    if (extra.length > 0) {
      parts.push(`Service ${params.service} selects ${sel}, which also matches ${plural(extra.length, 'Pod')} that ${extra.length === 1 ? 'is' : 'are'} not part of ${ref}: ${podNames(extra)}`);
    }
    if (missed.length > 0) {
      parts.push(`${extra.length > 0 ? 'and it' : `Service ${params.service} selects ${sel}, which`} misses ${missed.length === own.length ? `the ${plural(own.length, 'Pod')}` : `${missed.length} of the ${plural(own.length, 'Pod')}`} of ${ref} (labelled ${formatLabels(labels)})`);
    }
  }
  const diff = missed.length > 0 ? labelDifferences(selector, missed[0]!.metadata.labels) : [];
  if (extra.length > 0 && missed.length === 0) {
    const distinguishing = Object.entries(labels).filter(([k]) => selector[k] === undefined).map(([k, v]) => `${k}=${v}`);
    if (distinguishing.length > 0) parts.push(`add a label only these Pods carry, such as ${distinguishing.join(' or ')}`);
  }
  return failed(`${[...parts, ...diff].join('; ')}.`, selectorCause(extra.length > 0, missed.length > 0 ? selector : undefined, missed[0]?.metadata.labels), evidence);
};

/** Why the selector is wrong: it reaches too far, it reaches the wrong Pods, or it disagrees with the Pods' labels. */
function selectorCause(hasExtra: boolean, selector: Readonly<Record<string, string>> | undefined, missedLabels: Readonly<Record<string, string>> | undefined): CauseOf<'selector'> {
  if (!selector || !missedLabels) return hasExtra ? 'too-broad' : 'matches-nothing';
  if (hasExtra) return 'wrong-pods';
  const differing = Object.entries(selector).filter(([k, v]) => missedLabels[k] !== v);
  if (differing.some(([k]) => missedLabels[k] !== undefined)) return 'label-typo';
  return differing.length > 0 ? 'missing-label' : 'matches-nothing';
}
