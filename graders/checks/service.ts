// `service`: the Service exists and every field the exercise names matches. Every
// difference is reported at once, so one attempt tells the learner all of them.
import { findService } from '../k8s/objects.ts';
import type { Service } from '../k8s/schemas.ts';
import type { CheckParams } from '../params.ts';
import type { CauseOf } from '../causes.ts';
import { fail, pass, type CheckFn } from '../types.ts';

type Port = Service['spec']['ports'][number];

export function describePort(p: Port): string {
  const target = p.targetPort ?? p.port;
  return `${p.name ? `${p.name} ` : ''}${p.port}→${target}/${p.protocol}`;
}

export function describePorts(svc: Service): string {
  return svc.spec.ports.length === 0 ? 'no ports' : svc.spec.ports.map(describePort).join(', ');
}

export const serviceCheck: CheckFn<CheckParams<'service'>> = async (params, observed) => {
  const svc = findService(observed, params.name);
  if (!svc) {
    const others = observed.services.map((s) => s.metadata.name);
    return fail(`No Service named ${params.name} in your namespace${others.length ? `; found ${others.join(', ')}` : ''}.`, null, 'no-service');
  }
  const name = `Service ${params.name}`;
  const spec = svc.spec;
  const headless = spec.clusterIP === 'None';
  // Each difference with its cause; the first one found names the cause of the fail.
  const problems: string[] = [];
  const causes: CauseOf<'service'>[] = [];
  const problem = (cause: CauseOf<'service'>, text: string) => {
    problems.push(text);
    causes.push(cause);
  };
  if (params.type !== undefined && spec.type !== params.type) {
    // A NodePort or LoadBalancer Service has a cluster IP too, but also opens ports outside the cluster.
    const also = params.type === 'ClusterIP' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
      ? ` (a ${spec.type} Service has a cluster IP too, but also exposes the port on every node${spec.type === 'LoadBalancer' ? ' and through a load balancer' : ''})`
      : '';
    problem('wrong-type', `${name} is of type ${spec.type}; it must be ${params.type}${also}`);
  }
  if (params.headless === true && !headless) {
    problem('not-headless', `${name} is not headless: it has the cluster IP ${spec.clusterIP ?? '(none yet)'}; a headless Service sets clusterIP: None`);
  }
  if (params.headless === false && headless) problem('headless', `${name} is headless (clusterIP: None); expected a Service with a cluster IP`);
  if (params.hasClusterIP === true && (headless || !spec.clusterIP)) {
    problem(headless ? 'headless' : 'no-cluster-ip', headless
      ? `${name} is headless (clusterIP: None), so it has no cluster IP; leave clusterIP unset so Kubernetes assigns one`
      : `${name} has no cluster IP`);
  }
  if (params.hasClusterIP === false && !headless && spec.clusterIP) problem('not-headless', `${name} has the cluster IP ${spec.clusterIP}; expected none`);
  for (const want of params.ports ?? []) {
    const label = `port ${want.name ? `${want.name} ` : ''}${want.port}`;
    const got = spec.ports.find((p) => p.port === want.port);
    if (!got) {
      problem('missing-port', `${name} has no ${label} (its ports: ${describePorts(svc)})`);
      continue;
    }
    const target = got.targetPort ?? got.port;
    if (want.targetPort !== undefined && String(target) !== String(want.targetPort)) {
      problem('wrong-target-port', `${name} port ${want.port} forwards to targetPort ${target}; expected ${want.targetPort}`);
    }
    if (want.name !== undefined && got.name !== want.name) {
      problem('port-name', `${name} port ${want.port} is ${got.name ? `named ${got.name}` : 'unnamed'}; expected the name ${want.name}`);
    }
    if (want.protocol !== undefined && got.protocol !== want.protocol) {
      problem('protocol', `${name} port ${want.port} uses ${got.protocol}; expected ${want.protocol}`);
    }
  }
  if (params.sessionAffinity !== undefined && spec.sessionAffinity !== params.sessionAffinity) {
    problem('session-affinity', `${name} has sessionAffinity ${spec.sessionAffinity}; expected ${params.sessionAffinity}`);
  }
  if (params.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== params.internalTrafficPolicy) {
    problem('traffic-policy', `${name} has internalTrafficPolicy ${spec.internalTrafficPolicy}; expected ${params.internalTrafficPolicy}`);
  }
  const evidence = { type: spec.type, clusterIP: spec.clusterIP ?? null, ports: describePorts(svc), sessionAffinity: spec.sessionAffinity, internalTrafficPolicy: spec.internalTrafficPolicy };
  if (problems.length > 0) return fail(`${problems.join('. ')}.`, evidence, causes[0]);
  return pass(`${name} ${listing(verified(params, svc))}.`, evidence);
};

/** The facts this check's params asked for, as found: a pass names what it verified, nothing else. */
function verified(params: CheckParams<'service'>, svc: Service): string[] {
  const spec = svc.spec;
  const facts: string[] = [];
  if (params.type !== undefined) facts.push(`is of type ${spec.type}`);
  if (params.headless === true) facts.push('is headless (clusterIP: None)');
  if (params.headless === false || params.hasClusterIP === true) facts.push(`has the cluster IP ${spec.clusterIP ?? ''}`);
  if (params.hasClusterIP === false && params.headless !== true) facts.push('has no cluster IP');
  for (const want of params.ports ?? []) {
    const got = spec.ports.find((p) => p.port === want.port);
    if (got) facts.push(`has port ${describePort(got)}`);
  }
  if (params.sessionAffinity !== undefined) facts.push(`has sessionAffinity ${spec.sessionAffinity}`);
  if (params.internalTrafficPolicy !== undefined) facts.push(`has internalTrafficPolicy ${spec.internalTrafficPolicy}`);
  return facts.length > 0 ? facts : [`exists (${spec.type}, ${describePorts(svc)})`];
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
