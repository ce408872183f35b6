// The grader's own client Pods: busybox, one per node where a check needs one, pinned
// with nodeName (and tolerating every taint, so the control-plane node gets one too).
// They carry only kubelab.io/probe, so no learner selector (app, tier, ...) can pick
// them up, and small requests/limits because they count in the namespace's quota.
// Created on first need, then found again by name and reused by every later grade.
import { createHash } from 'node:crypto';
// zod/mini (see zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from './zod-mini.ts';
import { AlreadyExistsError } from './cluster/errors.ts';
import type { ClusterClient, KubeObject } from './cluster/types.ts';
import { byCodeUnit, isPodReady, isTerminating } from './k8s/objects.ts';
import { PodSchema, type Pod } from './k8s/schemas.ts';
import { GraderError } from './types.ts';

export const PROBE_LABEL = 'kubelab.io/probe';
export const PROBE_IMAGE = 'busybox:1.36';
export const PROBE_CONTAINER = 'probe';

export interface ProbeOptions {
  client: ClusterClient;
  namespace: string;
  /** Probe Pods already in the snapshot. */
  existing: readonly Pod[];
  delay: (ms: number) => Promise<void>;
  now: () => number;
  /** Between readiness polls. */
  pollMs: number;
  /** How long a new probe Pod may take to become Ready (image pull on a real cluster). */
  readyTimeoutMs: number;
}

const NodeSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z._default(z.looseObject({ unschedulable: z.optional(z.boolean()), taints: z.optional(z.array(z.looseObject({ effect: z.string() }))) }), {}),
  status: z._default(z.looseObject({ conditions: z._default(z.array(z.looseObject({ type: z.string(), status: z.string() })), []) }), { conditions: [] }),
});
type Node = z.output<typeof NodeSchema>;

/** Pod name for the index-th probe on a node; a hash keeps long node names inside the name limit. */
export function probeName(node: string, index = 0): string {
  const hash = createHash('sha256').update(node).digest('hex').slice(0, 8);
  return index === 0 ? `kubelab-probe-${hash}` : `kubelab-probe-${hash}-${index}`;
}

export function probeManifest(namespace: string, node: string, index = 0): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: probeName(node, index), namespace, labels: { [PROBE_LABEL]: 'true' } },
    spec: {
      nodeName: node,
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: PROBE_CONTAINER,
          image: PROBE_IMAGE,
          // A loop rather than `sleep infinity`: never exits, and needs no float-sleep support.
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 3600 & wait $!; done'],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false },
        },
      ],
    },
  };
}

const NEVER_STARTS = new Set(['ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'CrashLoopBackOff']);

/**
 * Why a probe Pod will never become Ready by waiting: the node turned it away (a full
 * node rejects even a Pod bound to it: OutOfpods), it ended, or its container cannot
 * start. Waiting out the ready timeout would only hold a grading slot.
 */
function cannotRun(pod: Pod): string | undefined {
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') {
    return [`phase ${pod.status.phase}`, pod.status.reason, pod.status.message].filter(Boolean).join(': ');
  }
  const waiting = pod.status.containerStatuses[0]?.state.waiting;
  if (waiting?.reason && NEVER_STARTS.has(waiting.reason)) return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  return undefined;
}

export class ProbePool {
  readonly #o: ProbeOptions;
  #nodes: Promise<Node[]> | undefined;
  readonly #pending = new Map<string, Promise<Pod>>();

  constructor(options: ProbeOptions) {
    this.#o = options;
  }

  /** Ready nodes by name; the control-plane is included on purpose (local-traffic). */
  nodes(): Promise<Node[]> {
    this.#nodes ??= this.#o.client.list({ apiVersion: 'v1', kind: 'Node' }).then((items) =>
      items
        .map((item) => NodeSchema.parse(item))
        .filter((n) => !n.spec.unschedulable && n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
        .sort((a, b) => byCodeUnit(a.metadata.name, b.metadata.name)),
    );
    return this.#nodes;
  }

  async any(): Promise<Pod> {
    const reusable = this.#o.existing.find((p) => this.#usable(p) && isPodReady(p));
    if (reusable?.spec.nodeName) return this.#ensure(reusable.spec.nodeName, 0);
    const nodes = await this.nodes();
    const untainted = nodes.find((n) => (n.spec.taints ?? []).length === 0) ?? nodes[0];
    if (!untainted) throw new GraderError('the cluster has no Ready node to run a probe Pod on');
    return this.#ensure(untainted.metadata.name, 0);
  }

  async perNode(choose: (nodes: readonly string[]) => readonly string[] = (all) => all): Promise<Map<string, Pod>> {
    const ready = (await this.nodes()).map((n) => n.metadata.name);
    if (ready.length === 0) throw new GraderError('the cluster has no Ready node to run a probe Pod on');
    const chosen = new Set(choose(ready));
    const names = ready.filter((n) => chosen.has(n));
    const pods = await Promise.all(names.map((n) => this.#ensure(n, 0)));
    return new Map(names.map((n, i) => [n, pods[i]!]));
  }

  /** `count` distinct Pods: one per node first, then more on the same nodes. */
  async clients(count: number): Promise<Pod[]> {
    const nodes = await this.nodes();
    if (nodes.length === 0) throw new GraderError('the cluster has no Ready node to run a probe Pod on');
    const slots = Array.from({ length: count }, (_, i) => ({ node: nodes[i % nodes.length]!.metadata.name, index: Math.floor(i / nodes.length) }));
    return Promise.all(slots.map((s) => this.#ensure(s.node, s.index)));
  }

  #usable(p: Pod): boolean {
    return !isTerminating(p) && p.status.phase !== 'Failed' && p.status.phase !== 'Succeeded';
  }

  #ensure(node: string, index: number): Promise<Pod> {
    const name = probeName(node, index);
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = this.#create(node, index, name);
      this.#pending.set(name, pending);
    }
    return pending;
  }

  async #create(node: string, index: number, name: string): Promise<Pod> {
    const known = this.#o.existing.find((p) => p.metadata.name === name);
    if (known && this.#usable(known) && isPodReady(known)) return known;
    if (!known) {
      try {
        await this.#o.client.create(probeManifest(this.#o.namespace, node, index), { fieldManager: 'kubelab-grader' });
      } catch (error) {
        // Another grade of this namespace made it first: same Pod, same purpose.
        if (!(error instanceof AlreadyExistsError)) {
          throw new GraderError(`could not create the probe Pod ${name}: ${error instanceof Error ? error.message : String(error)}`, null, { cause: error });
        }
      }
    }
    return this.#waitReady(name);
  }

  async #waitReady(name: string): Promise<Pod> {
    const { client, namespace, delay, now, pollMs, readyTimeoutMs } = this.#o;
    const deadline = now() + readyTimeoutMs;
    let last: Pod | undefined;
    for (;;) {
      const found = await client.find({ apiVersion: 'v1', kind: 'Pod', namespace, name });
      last = found ? PodSchema.parse(found) : undefined;
      if (last && this.#usable(last) && isPodReady(last)) return last;
      const cannot = last && cannotRun(last);
      if (cannot) throw new GraderError(`the probe Pod ${name} cannot run: ${cannot}`);
      if (now() >= deadline) break;
      await delay(pollMs);
    }
    const state = last ? `${last.status.phase ?? 'unknown phase'}${last.status.containerStatuses[0]?.state.waiting?.reason ? `, ${last.status.containerStatuses[0].state.waiting.reason}` : ''}` : 'missing';
    throw new GraderError(`the probe Pod ${name} was not ready within ${readyTimeoutMs} ms (${state})`);
  }
}
