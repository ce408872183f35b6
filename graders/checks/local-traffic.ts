// `local-traffic`: a probe on every node that runs a backend, and on one that runs
// none (the control-plane counts). With internalTrafficPolicy Local, kube-proxy only
// uses endpoints on the client's own node: where the workload has a Pod every answer
// comes from that node; where it has none the traffic is dropped and the request times
// out. Not every node: a big cluster has more nodes than the namespace's quota has Pods.
// Causes: an answer that crossed nodes is no-policy (internalTrafficPolicy is not Local,
// or it is set on a Service the clients do not use); a node whose own backend is not a
// ready endpoint of the Service gets nothing (no-local-endpoint).
import type { CauseOf } from '../causes.ts';
import { endpointView, slicesOf } from './endpoints.ts';
import { describeRef, findService, isPodReady, workloadPods } from '../k8s/objects.ts';
import { describeFailure } from '../net.ts';
import type { CheckParams } from '../params.ts';
import { PROBE_CONTAINER } from '../probes.ts';
import { excerpt } from './http.ts';
import { repeatedGet, servedBy } from '../requests.ts';
import { fail, pass, type CheckFn } from '../types.ts';

/** Enough requests that a Cluster policy would almost surely cross nodes (2 backends: 1 - 0.5^6). */
const REQUESTS_WITH_LOCAL_BACKEND = 6;

// When nodes fail differently, the most telling cause names the fail.
const PRECEDENCE: readonly CauseOf<'local-traffic'>[] = ['no-policy', 'no-local-endpoint', 'no-pod-name', 'unreachable'];

export const localTrafficCheck: CheckFn<CheckParams<'local-traffic'>> = async (params, observed, ctx) => {
  const ref = describeRef(params.workload);
  const svc = findService(observed, params.service);
  if (!svc) return fail(`No Service named ${params.service} in your namespace.`, null, 'no-service');
  const port = params.port ?? svc.spec.ports[0]?.port;
  if (port === undefined) return fail(`Service ${params.service} has no ports.`);
  const backends = workloadPods(observed, params.workload).filter(isPodReady);
  if (backends.length === 0) return fail(`${ref} has no ready Pods.`, null, 'no-ready-pods');
  const isLocal = svc.spec.internalTrafficPolicy === 'Local';
  const endpointIPs = new Set(endpointView(slicesOf(observed, params.service)).ready.map((e) => e.ip));
  const policyNote = isLocal ? '' : ` (Service ${params.service} has internalTrafficPolicy ${svc.spec.internalTrafficPolicy})`;
  const nodeOf = new Map(backends.map((p) => [p.metadata.name, p.spec.nodeName ?? '']));
  const names = [...nodeOf.keys()];
  const url = `http://${params.service}:${port}/`;
  const probes = await ctx.probesPerNode((ready) => {
    const withBackend = ready.filter((n) => backends.some((b) => b.spec.nodeName === n));
    const without = ready.find((n) => !withBackend.includes(n));
    return without === undefined ? withBackend : [...withBackend, without];
  });
  const nodes = [...probes.keys()];
  const runs = await Promise.all(
    nodes.map((node) => {
      const local = backends.some((b) => b.spec.nodeName === node);
      return repeatedGet(ctx, { pod: probes.get(node)!.metadata.name, container: PROBE_CONTAINER }, url, local ? REQUESTS_WITH_LOCAL_BACKEND : 1);
    }),
  );
  const problems: string[] = [];
  const causes = new Set<CauseOf<'local-traffic'>>();
  const evidence = nodes.map((node, i) => ({
    node,
    localBackends: backends.filter((b) => b.spec.nodeName === node).map((b) => b.metadata.name),
    answers: (runs[i]?.outcomes ?? []).map((o) => (o.kind === 'response' ? excerpt(o.body, 80) : o.kind)),
  }));
  nodes.forEach((node, i) => {
    const outcomes = runs[i]?.outcomes ?? [];
    const localPods = backends.filter((b) => b.spec.nodeName === node);
    const local = localPods.map((b) => b.metadata.name);
    const from = `from node ${node}`;
    if (local.length > 0) {
      const failed = outcomes.find((o) => o.kind !== 'response');
      if (failed !== undefined) {
        const outside = localPods.filter((p) => !endpointIPs.has(p.status.podIP ?? '')).map((p) => p.metadata.name);
        if (outside.length === localPods.length) {
          causes.add('no-local-endpoint');
          return void problems.push(`${from} (where ${local.join(', ')} runs) a request failed: ${describeFailure(failed)}; ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not a ready endpoint of Service ${params.service}, so this node has no local endpoint to send it to (compare the Service's selector with the Pods' labels)`);
        }
        causes.add('unreachable');
        return void problems.push(`${from} (where ${local.join(', ')} runs) a request failed: ${describeFailure(failed)}`);
      }
      for (const o of outcomes) {
        if (o.kind !== 'response') continue;
        const pod = servedBy(o.body, names);
        if (pod === undefined) {
          causes.add('no-pod-name');
          return void problems.push(`${from} the answer "${excerpt(o.body, 60)}" does not name a ${params.workload.name} Pod; each answer must name the Pod that served it (e.g. ${names[0]}) to show which node answered`);
        }
        if (nodeOf.get(pod) !== node) {
          causes.add('no-policy');
          return void problems.push(`${from} a request was answered by ${pod} on node ${nodeOf.get(pod)}${policyNote}; with internalTrafficPolicy Local it must stay on ${node} (served by ${local.join(', ')})`);
        }
      }
      return;
    }
    const answered = outcomes.find((o) => o.kind === 'response');
    if (answered && answered.kind === 'response') {
      const pod = servedBy(answered.body, names);
      causes.add('no-policy');
      problems.push(`${from}, which runs no ${params.workload.name} Pod, a request was answered${pod ? ` by ${pod} on node ${nodeOf.get(pod)}` : ` ("${excerpt(answered.body, 60)}")`}${policyNote}; with internalTrafficPolicy Local it should get no answer`);
    }
  });
  if (problems.length > 0) return fail(`${problems.join('; ')}.`, evidence, PRECEDENCE.find((c) => causes.has(c)));
  const withBackend = nodes.filter((n) => backends.some((b) => b.spec.nodeName === n));
  const without = nodes.filter((n) => !withBackend.includes(n));
  return pass(
    `Requests to ${url} from node${withBackend.length === 1 ? '' : 's'} ${withBackend.join(', ')} were answered only by ${params.workload.name} Pods on the same node` +
      `${without.length > 0 ? `; from ${without.join(', ')}, which runs none, they got no answer` : ''}.`,
    evidence,
  );
};
