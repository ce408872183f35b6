// The embedded cluster is sized from kubelab's own limits: every environment the
// configuration allows must fit at its full quota, or learners beyond the default
// 2 × 110 Pod slots would be graded against a cluster with no room for their Pods.
// A real cluster is the operator's to size; there a full cluster is reported as the
// platform's fault (graders/capacity.ts), never as the learner's.

/** kind's kubelet default (--max-pods). */
export const DEFAULT_MAX_PODS = 110;
/** Workers of the embedded cluster, as in deploy/kind/cluster.yaml. */
export const EMBEDDED_WORKERS = 2;
/** Room for what is not a learner's: CoreDNS and anything kube-system runs. */
const SYSTEM_PODS = 10;

/** Pods per node (kubelet --max-pods) for the embedded cluster; undefined when the default suffices. */
export function embeddedMaxPodsPerNode(maxEnvironments: number, podsPerEnvironment: number): number | undefined {
  const needed = Math.ceil((maxEnvironments * podsPerEnvironment) / EMBEDDED_WORKERS) + SYSTEM_PODS;
  return needed <= DEFAULT_MAX_PODS ? undefined : needed;
}
