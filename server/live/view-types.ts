// The live namespace view as the server sends it and the portal draws it. No imports:
// the browser bundle uses these types too.
export interface LivePod {
  readonly name: string;
  readonly node: string | null;
  readonly ready: boolean;
  /** What `kubectl get pods` shows in STATUS: Running, ContainerCreating, CrashLoopBackOff… */
  readonly status: string;
  readonly restarts: number;
  readonly ip: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

export interface LiveNode {
  readonly name: string;
  readonly ready: boolean;
  readonly pods: readonly LivePod[];
}

export interface LiveSelectorTerm {
  readonly key: string;
  readonly value: string;
  /** Whether any Pod in the namespace carries this label: a typo shows up red. */
  readonly matchesAny: boolean;
}

export interface LiveEndpoint {
  readonly ip: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly node: string | null;
  readonly pod: string | null;
}

export interface LiveService {
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string | null;
  readonly headless: boolean;
  readonly dns: string;
  readonly ports: readonly { name: string | null; port: number; targetPort: string; protocol: string }[];
  /** null: the Service has no selector (its endpoints are managed by hand). */
  readonly selector: readonly LiveSelectorTerm[] | null;
  readonly matchingPods: number;
  readonly sessionAffinity: string;
  readonly internalTrafficPolicy: string;
  readonly endpoints: readonly LiveEndpoint[];
}

export interface LiveView {
  readonly namespace: string;
  readonly nodes: readonly LiveNode[];
  /** Pods no node has taken yet (Pending). */
  readonly unscheduled: readonly LivePod[];
  readonly services: readonly LiveService[];
}
