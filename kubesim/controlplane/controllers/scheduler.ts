// The default scheduler, for what these lessons need: filters in kube-scheduler's
// order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity), scoring that
// spreads one owner's Pods over nodes (PodTopologySpread's default constraints) and
// then prefers the least loaded node, ties broken by the injected rng; FailedScheduling
// with the real FitError message.
// Source: pkg/scheduler/framework/types.go (FitError.Error), plugins/tainttoleration,
//         plugins/nodeaffinity, plugins/podtopologyspread (system defaults),
//         plugins/noderesources/fit.go (the pod count against allocatable: "Too many pods")

import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, rec, recs, str, strMap, strs, timestamp } from '../util/obj.ts';
import { controllerRef, isActive, isTerminal, objKey, podCondition, setCondition, splitKey } from './helpers.ts';

function tolerates(tolerations: Record<string, unknown>[], taint: Record<string, unknown>): boolean {
  return tolerations.some((t) => {
    const effect = str(t.effect);
    if (effect && effect !== taint.effect) return false;
    const key = str(t.key);
    if (str(t.operator) === 'Exists') return !key || key === taint.key;
    return key === taint.key && (str(t.value) ?? '') === (str(taint.value) ?? '');
  });
}

function matchExpression(labels: Record<string, string>, e: Record<string, unknown>): boolean {
  const key = str(e.key) ?? '';
  const values = strs(e.values);
  const has = key in labels;
  switch (str(e.operator)) {
    case 'In': return has && values.includes(labels[key] ?? '');
    case 'NotIn': return !has || !values.includes(labels[key] ?? '');
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(labels[key]) > Number(values[0]);
    case 'Lt': return has && Number(labels[key]) < Number(values[0]);
    default: return false;
  }
}

/** Nodes and Pods here come from store.scan: frozen, read-only. */
type Node = StoredObject;

function matchesAffinity(pod: StoredObject, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(strMap(at(pod, 'spec', 'nodeSelector')))) if (labels[k] !== v) return false;
  const terms = recs(at(pod, 'spec', 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'));
  if (terms.length === 0) return true;
  return terms.some((t) => {
    const exprs = recs(t.matchExpressions);
    const fields = recs(t.matchFields);
    if (exprs.length === 0 && fields.length === 0) return false;
    return exprs.every((e) => matchExpression(labels, e)) && fields.every((e) => matchExpression({ 'metadata.name': node.metadata.name }, e));
  });
}

/** The first failing filter's reason, or undefined when the node fits. `podsOnNode` counts its active Pods. */
export function filterNode(pod: StoredObject, node: Node, podsOnNode = 0): string | undefined {
  if (at(node, 'spec', 'unschedulable') === true) return "node(s) were unschedulable";
  const wantedNode = str(at(pod, 'spec', 'nodeName'));
  if (wantedNode && wantedNode !== node.metadata.name) return "node(s) didn't match the requested node name";
  const tolerations = recs(at(pod, 'spec', 'tolerations'));
  for (const taint of recs(at(node, 'spec', 'taints'))) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return `node(s) had untolerated taint {${str(taint.key) ?? ''}: ${str(taint.value) ?? ''}}`;
  }
  if (!matchesAffinity(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  const ready = recs(at(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  // The kubelet's max-pods (110 by default) is published as allocatable pods.
  const maxPods = Number(str(at(node, 'status', 'allocatable', 'pods')) ?? '110');
  if (podsOnNode + 1 > maxPods) return 'Too many pods';
  return undefined;
}

/** Reasons from NodeResourcesFit are Unschedulable (preemption may help); every other filter here is UnschedulableAndUnresolvable. */
const RESOURCE_REASONS = new Set(['Too many pods']);

function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * FitError.Error(): "0/N nodes are available:" + " <histogram>." + " <PostFilter message>.", where the
 * PostFilter message is "preemption: " + the preemption evaluator's own FitError (ending in "."),
 * hence the final "..". Every Pod here has priority 0, so a node that failed only on resources
 * has no lower-priority victims: "No preemption victims found for incoming pod".
 * Source: pkg/scheduler/framework/types.go (FitError.Error), framework/preemption/preemption.go,
 *         plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode)
 */
export function fitErrorMessage(total: number, reasons: string[]): string {
  const head = `0/${total} nodes are available:`;
  const filters = histogram(reasons);
  const preemption = histogram(reasons.map((r) => (RESOURCE_REASONS.has(r) ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling')));
  return `${head}${filters ? ` ${filters}.` : ''} preemption: ${head} ${preemption}..`;
}

export function schedulerController(ctx: ControllerContext): Controller {
  const seen = new Map<string, number>();
  const self: Controller = {
    name: 'default-scheduler',
    keysFor(event: StoreEvent) {
      const waiting = () => ctx.store.scan('pods').filter((p) => !str(at(p, 'spec', 'nodeName')) && isActive(p)).map(objKey);
      if (event.resource === 'pods') {
        if (!str(at(event.object, 'spec', 'nodeName'))) return event.type === 'DELETED' ? [] : [objKey(event.object)];
        // An assigned Pod went away or finished: its slot is free, so retry every Pod still
        // waiting (NodeResourcesFit requeues on AssignedPod delete, as the real queue does).
        return event.type === 'DELETED' || !isActive(event.object) ? waiting() : [];
      }
      // A node appeared or changed: retry every Pod still waiting.
      if (event.resource === 'nodes' && event.type !== 'DELETED') return waiting();
      return [];
    },
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const pod = ctx.store.get('pods', namespace, name);
      if (!pod) {
        seen.delete(key);
        return;
      }
      if (str(at(pod, 'spec', 'nodeName')) || !isActive(pod)) return;
      if ((str(at(pod, 'spec', 'schedulerName')) ?? 'default-scheduler') !== 'default-scheduler') return;
      const firstSeen = seen.get(key) ?? ctx.clock.now();
      seen.set(key, firstSeen);
      if (ctx.clock.now() < firstSeen + ctx.pace.scheduleMs) {
        ctx.runner.enqueueAfter(self, key, firstSeen + ctx.pace.scheduleMs - ctx.clock.now());
        return;
      }
      const nodes = ctx.store.scan('nodes');
      const byNode = new Map<string, StoredObject[]>();
      for (const p of ctx.store.scan('pods')) {
        const on = str(at(p, 'spec', 'nodeName'));
        // A terminating Pod still holds its slot until it is gone (the scheduler cache keeps
        // it until the delete event), or the kubelet would refuse the newcomer with OutOfpods.
        if (on && !isTerminal(p)) byNode.set(on, [...(byNode.get(on) ?? []), p]);
      }
      const onNode = (node: Node) => byNode.get(node.metadata.name) ?? [];
      const reasons: string[] = [];
      const fits: Node[] = [];
      for (const node of nodes) {
        const why = filterNode(pod, node, onNode(node).length);
        if (why) reasons.push(why);
        else fits.push(node);
      }
      const now = timestamp(ctx.clock.now());
      if (fits.length === 0) {
        const message = fitErrorMessage(nodes.length, reasons);
        const prev = podCondition(pod, 'PodScheduled');
        if (prev?.message === message) return;
        const status = { ...rec(pod.status) };
        Object.assign(status, {
          conditions: setCondition(recs(at(pod, 'status', 'conditions')), {
            type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null,
          }, now),
        });
        pod.status = status;
        ctx.store.update('pods', pod);
        ctx.event({ involvedObject: pod, reason: 'FailedScheduling', message, type: 'Warning', source: { component: 'default-scheduler' } });
        return;
      }
      const owner = controllerRef(pod)?.uid;
      const score = (node: Node) => {
        const here = onNode(node);
        const siblings = owner ? here.filter((p) => controllerRef(p)?.uid === owner).length : 0;
        return [siblings, here.length];
      };
      const scored = fits.map((node) => ({ node, s: score(node), tie: ctx.rng.next() }));
      scored.sort((a, b) => (a.s[0] ?? 0) - (b.s[0] ?? 0) || (a.s[1] ?? 0) - (b.s[1] ?? 0) || a.tie - b.tie);
      const chosen = scored[0]!.node;
      // Binding: spec.nodeName plus PodScheduled=True.
      pod.spec = { ...rec(pod.spec), nodeName: chosen.metadata.name };
      pod.status = {
        ...rec(pod.status),
        conditions: setCondition(recs(at(pod, 'status', 'conditions')), { type: 'PodScheduled', status: 'True', lastProbeTime: null }, now),
      };
      ctx.store.update('pods', pod);
      seen.delete(key);
      ctx.event({
        involvedObject: pod, reason: 'Scheduled',
        message: `Successfully assigned ${namespace}/${name} to ${chosen.metadata.name}`, source: { component: 'default-scheduler' },
      });
    },
  };
  return self;
}
