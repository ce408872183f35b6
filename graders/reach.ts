// Why a request from inside the cluster did not get through, read from the way it failed
// and the snapshot: kube-proxy REJECTs a Service with no ready endpoints, a ready endpoint
// with nothing listening on the targetPort refuses, a port the Service does not expose and
// internalTrafficPolicy Local with no endpoint on the client's node DROP (the client times
// out), and so does a NetworkPolicy. A name that does not resolve is a Service that does
// not exist (or a wrong name). Shared by the `http` and `tcp` checks.
import type { CauseOf } from './causes.ts';
import { endpointView, slicesOf } from './checks/endpoints.ts';
import { findService } from './k8s/objects.ts';
import type { Service } from './k8s/schemas.ts';
import type { Outcome } from './net.ts';
import type { CheckContext, Observed } from './types.ts';

/** tcp reports the same, less no-answer (its connect needs no answer from the server). */
export type ReachCause = Exclude<CauseOf<'http'>, 'wrong-status' | 'wrong-body'>;

export interface Diagnosis {
  cause: ReachCause;
  /** The clause added to the check's message: what in the learner's objects explains it. */
  why: string;
}

/** The environment's own policy (server/environments/manifests.ts): allows the namespace to itself. */
const ENVIRONMENT_POLICY = 'same-namespace-only';

interface Target {
  /** The Service the host names in the learner's namespace (by name or cluster IP). */
  service?: Service;
  /** The short name, when the host is a name in the learner's namespace. */
  name?: string;
}

/** `web`, `web.ns`, `web.ns.svc`, `web.ns.svc.cluster.local` (ns: the learner's) or a cluster IP. */
export function targetOf(host: string, observed: Observed): Target {
  const bare = host.replace(/\.$/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bare)) {
    const service = observed.services.find((s) => s.spec.clusterIP === bare);
    return service ? { service } : {};
  }
  const [name, ns, ...rest] = bare.split('.');
  const zone = rest.join('.');
  const ours = ns === undefined || (ns === observed.namespace && (zone === '' || zone === 'svc' || zone === 'svc.cluster.local'));
  if (!ours || !name) return {};
  const service = findService(observed, name);
  return service ? { service, name } : { name };
}

/** host and port of an http:// URL (port 80 when none is given). */
export function hostPort(url: string): { host: string; port: number } {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port === '' ? 80 : Number(u.port) };
  } catch {
    return { host: url, port: 80 };
  }
}

async function extraPolicies(ctx: CheckContext): Promise<string[] | undefined> {
  try {
    const list = await ctx.client.list({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: ctx.namespace });
    return list.map((p) => p.metadata.name ?? '').filter((n) => n !== ENVIRONMENT_POLICY);
  } catch {
    return undefined;
  }
}

export async function diagnoseReach(protocol: 'http' | 'tcp', outcome: Exclude<Outcome, { kind: 'response' }>, host: string, port: number, observed: Observed, ctx: CheckContext): Promise<Diagnosis | undefined> {
  const { service, name } = targetOf(host, observed);
  const svc = service ? `Service ${service.metadata.name}` : undefined;
  // curl -m reports a lookup that never came back as a timeout ("Resolving timed out").
  const lookupFailed = outcome.kind === 'unresolved' || (outcome.kind === 'timeout' && /Resolving timed out/i.test(outcome.detail));
  if (lookupFailed) {
    if (name !== undefined && !service) return { cause: 'no-service', why: `there is no Service named ${name} in your namespace (kubectl get svc)` };
    // The Service exists, so its name would resolve: something kept the query from CoreDNS,
    // and an Egress NetworkPolicy without a rule for port 53 is what does that.
    const policies = service ? await extraPolicies(ctx) : undefined;
    if (policies && policies.length > 0) {
      return { cause: 'network-policy', why: `Service ${service?.metadata.name} exists, but the NetworkPolicy ${policies.join(', ')} in your namespace keeps the lookup from reaching the cluster DNS (allow egress to port 53, UDP and TCP)` };
    }
    return { cause: 'dns-name', why: `${host} is not a name the cluster DNS knows: check the Service name and namespace in it` };
  }
  if (outcome.kind === 'refused') {
    if (!service) return undefined;
    const ready = endpointView(slicesOf(observed, service.metadata.name)).ready;
    if (ready.length === 0) return { cause: 'no-endpoints', why: `${svc} has no ready endpoints, so kube-proxy rejects the connection (kubectl get endpointslices -l kubernetes.io/service-name=${service.metadata.name})` };
    const sp = service.spec.ports.find((p) => p.port === port);
    const target = sp?.targetPort ?? sp?.port ?? port;
    return { cause: 'wrong-target-port', why: `${svc} has ready endpoints but nothing in them listens on targetPort ${target}: make targetPort the port the container really listens on` };
  }
  if (outcome.kind === 'timeout') {
    if (service && !service.spec.ports.some((p) => p.port === port)) {
      return { cause: 'wrong-port', why: `${svc} exposes ${service.spec.ports.map((p) => p.port).join(', ') || 'no ports'}, not ${port}, so nothing answers on ${port}` };
    }
    if (service?.spec.internalTrafficPolicy === 'Local') {
      return { cause: 'local-policy', why: `${svc} has internalTrafficPolicy: Local and the client's node runs none of its endpoints, so the traffic is dropped` };
    }
    const policies = await extraPolicies(ctx);
    if (policies && policies.length > 0) {
      return { cause: 'network-policy', why: `the NetworkPolicy ${policies.join(', ')} in your namespace drops it (kubectl describe networkpolicy)` };
    }
    // wget's timeout also covers a connection that opened and then stayed silent.
    if (service && protocol === 'http') return { cause: 'no-answer', why: `the connection to ${svc} opened but the server never answered: is the targetPort the right program's port?` };
  }
  return undefined;
}
