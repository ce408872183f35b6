// What a failing check can diagnose as the cause, per check type. A fail carries one of
// these so that the exercise can give the hint that fits it (`hints:` in exercise.yaml);
// the catalog refuses a hint keyed by a cause the check type never reports.
import type { CheckType } from './params.ts';

export const CHECK_CAUSES = {
  resource: [],
  service: ['no-service', 'wrong-type', 'headless', 'not-headless', 'no-cluster-ip', 'missing-port', 'wrong-target-port', 'port-name', 'protocol', 'session-affinity', 'traffic-policy'],
  // too-broad: also selects other Pods; wrong-pods: selects other Pods instead of these;
  // label-typo: a key the Pods carry with another value; missing-label: a key the Pods lack.
  selector: ['no-service', 'no-workload', 'no-selector', 'no-pods', 'too-broad', 'wrong-pods', 'label-typo', 'missing-label', 'matches-nothing'],
  'workload-ready': ['no-workload', 'wrong-replicas', 'scaled-to-zero', 'not-ready', 'rollout-stuck'],
  endpoints: ['no-service', 'not-ready', 'wrong-count', 'foreign-endpoints', 'missing-pods', 'wrong-port', 'rollout-stuck'],
  dns: ['no-service', 'headless', 'no-pods', 'nxdomain', 'wrong-address'],
  // Why a request did not get through (graders/reach.ts), then, for http, a wrong answer.
  http: ['no-service', 'dns-name', 'no-endpoints', 'wrong-target-port', 'wrong-port', 'local-policy', 'network-policy', 'no-answer', 'wrong-status', 'wrong-body'],
  tcp: ['no-service', 'dns-name', 'no-endpoints', 'wrong-target-port', 'wrong-port', 'local-policy', 'network-policy'],
  // no-affinity: sessionAffinity is not ClientIP; short-timeout: timeoutSeconds ran out
  // between requests; one-endpoint: one ready Pod cannot show stickiness; no-pod-name:
  // the answers do not say which Pod served them; unreachable: requests failed.
  affinity: ['no-service', 'no-affinity', 'short-timeout', 'one-endpoint', 'no-pod-name', 'unreachable'],
  // no-policy: internalTrafficPolicy is not Local; no-local-endpoint: a node with a backend
  // got no answer from it; no-pod-name: the answers do not say which Pod served them.
  'local-traffic': ['no-service', 'no-ready-pods', 'no-policy', 'no-local-endpoint', 'no-pod-name', 'unreachable'],
  'readiness-probe': [],
  script: [],
} as const satisfies Record<CheckType, readonly string[]>;

export type CauseOf<T extends CheckType> = (typeof CHECK_CAUSES)[T][number];

export function causesOf(type: CheckType): readonly string[] {
  return CHECK_CAUSES[type];
}
