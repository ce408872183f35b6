// The shapes shared by the engine and every check. A check is a small function from
// observed state (plus, for network checks, what commands inside Pods print) to a
// verdict with a reason.
import type { JsonValue } from './json.ts';
import type { ClusterClient, KubeObject } from './cluster/types.ts';
import type { EndpointSlice, KubeEvent, Pod, Service, Workload } from './k8s/schemas.ts';

export type VerdictStatus = 'pass' | 'fail' | 'error';

export interface Verdict {
  status: VerdictStatus;
  /** fail: what was expected, what was found, on which object, in the learner's words. */
  message: string;
  /** Probe output, object excerpts: kept with the result. */
  evidence: JsonValue;
  /** fail: the diagnosed cause (one of CHECK_CAUSES for the check's type), which picks the exercise's hint. */
  cause?: string;
}

/** One read of the namespace: one list per kind, taken once per grade (re-taken only while it converges). */
export interface Observed {
  namespace: string;
  /** The learner's Pods; the grader's probe Pods are kept apart in `probes`. */
  pods: Pod[];
  probes: Pod[];
  services: Service[];
  endpointSlices: EndpointSlice[];
  deployments: Workload[];
  replicaSets: Workload[];
  statefulSets: Workload[];
  events: KubeEvent[];
  /** The same objects unparsed, by kind, for subset matching (`resource`). */
  raw: ReadonlyMap<string, readonly KubeObject[]>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The command's exit code. */
  exitCode: number;
}

export interface ExecTarget {
  pod: string;
  container: string;
}

/** What a check may do beyond reading the snapshot. Failures to do it throw GraderError. */
export interface CheckContext {
  namespace: string;
  /** Run argv (no shell) in a container; rejects with GraderError when the exec itself fails. */
  exec(target: ExecTarget, argv: readonly string[]): Promise<ExecResult>;
  /** A probe Pod on one schedulable node. */
  probe(): Promise<Pod>;
  /**
   * One probe Pod per Ready node (the control-plane included), keyed by node name;
   * `choose` picks which of the Ready nodes' names get one (default: all). A big
   * cluster has more nodes than a namespace's quota has Pods: choose what the check needs.
   */
  probesPerNode(choose?: (nodes: readonly string[]) => readonly string[]): Promise<Map<string, Pod>>;
  /** `count` distinct probe Pods (distinct client IPs). */
  probeClients(count: number): Promise<Pod[]>;
  /** The grader's cluster client (counted), for kinds outside the snapshot. */
  client: ClusterClient;
  /** The grader's kubeconfig (YAML), for script checks. */
  kubeconfig: string;
  /** Working directory for script checks (the exercise folder). */
  workdir: string | undefined;
  /** Aborted when the check's deadline passes. */
  signal: AbortSignal;
}

export type CheckFn<P> = (params: P, observed: Observed, ctx: CheckContext) => Promise<Verdict>;

/** The grader or the cluster broke: never the learner's fault, never counted against them. */
export class GraderError extends Error {
  override readonly name = 'GraderError';
  constructor(
    message: string,
    readonly evidence: JsonValue = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const pass = (message: string, evidence: JsonValue = null): Verdict => ({ status: 'pass', message, evidence });
export const fail = (message: string, evidence: JsonValue = null, cause?: string): Verdict =>
  cause === undefined ? { status: 'fail', message, evidence } : { status: 'fail', message, evidence, cause };
export const errored = (message: string, evidence: JsonValue = null): Verdict => ({ status: 'error', message, evidence });
