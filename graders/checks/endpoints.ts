// `endpoints`: read the Service's EndpointSlices as kube-proxy does: how many ready
// and not-ready endpoints, whether the ready addresses are the workload's Pod IPs,
// and which (resolved) ports they carry.
import { describeRef, findService, plural, workloadPods } from '../k8s/objects.ts';
import type { EndpointSlice } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import type { Observed } from '../types.ts';
import type { CauseOf } from '../causes.ts';
import { describeStuckRollout, stuckRollout } from '../k8s/rollout.ts';
import { fail, pass, type CheckFn } from '../types.ts';

// When several problems show at once, the most telling one names the cause.
const PRECEDENCE: readonly CauseOf<'endpoints'>[] = ['rollout-stuck', 'wrong-port', 'not-ready', 'foreign-endpoints', 'missing-pods', 'wrong-count'];

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointView {
  ready: { ip: string; pod: string | undefined }[];
  notReady: { ip: string; pod: string | undefined }[];
  /** Resolved ports, as `name port` pairs (name may be empty). */
  ports: { name: string; port: number }[];
}

export function slicesOf(observed: Observed, service: string): EndpointSlice[] {
  return observed.endpointSlices.filter((s) => s.metadata.labels[SERVICE_NAME_LABEL] === service);
}

export function endpointView(slices: readonly EndpointSlice[]): EndpointView {
  const view: EndpointView = { ready: [], notReady: [], ports: [] };
  for (const slice of slices) {
    for (const e of slice.endpoints) {
      // discovery/v1: a nil `ready` means unknown, which consumers treat as ready.
      const bucket = e.conditions.ready === false ? view.notReady : view.ready;
      for (const ip of e.addresses) bucket.push({ ip, pod: e.targetRef?.name });
    }
    for (const p of slice.ports) {
      if (typeof p.port !== 'number') continue;
      const name = p.name ?? '';
      if (!view.ports.some((q) => q.name === name && q.port === p.port)) view.ports.push({ name, port: p.port });
    }
  }
  return view;
}

const showPorts = (ports: EndpointView['ports']): string =>
  ports.length === 0 ? 'no ports' : ports.map((p) => (p.name ? `${p.name} ${p.port}` : String(p.port))).join(', ');

export const endpointsCheck: CheckFn<CheckParams<'endpoints'>> = async (params, observed) => {
  const svcName = `Service ${params.service}`;
  if (!findService(observed, params.service)) return fail(`No Service named ${params.service} in your namespace.`, null, 'no-service');
  const view = endpointView(slicesOf(observed, params.service));
  const evidence = {
    ready: view.ready.map((e) => `${e.ip}${e.pod ? ` (${e.pod})` : ''}`),
    notReady: view.notReady.map((e) => `${e.ip}${e.pod ? ` (${e.pod})` : ''}`),
    ports: showPorts(view.ports),
  };
  const problems: string[] = [];
  const causes = new Set<CauseOf<'endpoints'>>();
  const counts = `${svcName} has ${plural(view.ready.length, 'ready endpoint')} and ${view.notReady.length} not ready`;
  const wantReady = params.ready;
  const wantNotReady = params.notReady;
  if ((wantReady !== undefined && view.ready.length !== wantReady) || (wantNotReady !== undefined && view.notReady.length !== wantNotReady)) {
    const expected = [wantReady !== undefined ? `${wantReady} ready` : undefined, wantNotReady !== undefined ? `${wantNotReady} not ready` : undefined].filter(Boolean).join(' and ');
    const notReadyPods = view.notReady.length > 0 ? ` (not ready: ${view.notReady.map((e) => e.pod ?? e.ip).join(', ')})` : '';
    problems.push(`${counts}; expected ${expected}${notReadyPods}`);
    causes.add(view.notReady.length > 0 ? 'not-ready' : 'wrong-count');
  }
  if (params.workload) {
    const ref = describeRef(params.workload);
    const pods = workloadPods(observed, params.workload);
    const podIPs = new Set(pods.map((p) => p.status.podIP).filter((ip): ip is string => ip !== undefined));
    const readyIPs = new Set(view.ready.map((e) => e.ip));
    const strangers = [...readyIPs].filter((ip) => !podIPs.has(ip));
    const absent = pods.filter((p) => p.status.podIP === undefined || !readyIPs.has(p.status.podIP));
    if (strangers.length > 0) causes.add('foreign-endpoints');
    if (absent.length > 0) causes.add(absent.some((p) => view.notReady.some((e) => e.ip === p.status.podIP)) ? 'not-ready' : 'missing-pods');
    if (strangers.length > 0) problems.push(`its ready endpoints include ${strangers.join(', ')}, which ${strangers.length === 1 ? 'is' : 'are'} not a Pod of ${ref}`);
    if (absent.length > 0) {
      problems.push(`${absent.length === pods.length ? 'none' : `${absent.length}`} of the ${plural(pods.length, 'Pod')} of ${ref} ${absent.length === pods.length ? 'is a ready endpoint' : `${absent.length === 1 ? 'is' : 'are'} missing from the ready endpoints`} (${absent.map((p) => p.metadata.name).join(', ')})`);
    }
    if (pods.length === 0) problems.push(`${ref} has no Pods`);
  }
  for (const want of params.ports ?? []) {
    if (want.name !== undefined) {
      const named = view.ports.find((p) => p.name === want.name);
      if (!named || named.port !== want.port) causes.add('wrong-port');
      if (!named) problems.push(`its endpoints carry no port named ${want.name} (expected ${want.name} → ${want.port}; found ${showPorts(view.ports)})`);
      else if (named.port !== want.port) problems.push(`its endpoint port ${want.name} is ${named.port}; expected ${want.port}`);
    } else if (!view.ports.some((p) => p.port === want.port)) {
      causes.add('wrong-port');
      problems.push(`its endpoints carry ${showPorts(view.ports)}; expected port ${want.port}, the port the container listens on`);
    }
  }
  const stuck = params.workload?.kind === 'Deployment' && causes.has('not-ready') ? stuckRollout(observed, params.workload.name) : undefined;
  if (problems.length > 0) {
    const [first, ...rest] = problems;
    const lead = first!.startsWith(svcName) ? first! : `${svcName}: ${first!}`;
    const rollout = stuck ? ` ${describeStuckRollout(stuck)}.` : '';
    if (stuck) causes.add('rollout-stuck');
    return fail(`${[lead, ...rest].join('; ')}.${rollout}`, evidence, PRECEDENCE.find((c) => causes.has(c)));
  }
  // Name what was compared: the workload's Pods when given, the port(s) the exercise names.
  const whose = params.workload ? `, exactly the Pod IPs of ${describeRef(params.workload)}` : '';
  return pass(`${counts}${whose}, on ${showPorts(view.ports)}.`, evidence);
};
