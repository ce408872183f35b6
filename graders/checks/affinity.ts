// `affinity`: from each of `clients` probe Pods (distinct client IPs), `requests` new
// connections to the Service; with sessionAffinity ClientIP every answer one client
// gets names the same Pod. The backends echo their Pod name, so the answers tell.
import { findService } from '../k8s/objects.ts';
import { describeFailure } from '../net.ts';
import type { CheckParams } from '../params.ts';
import { PROBE_CONTAINER } from '../probes.ts';
import { excerpt } from './http.ts';
import { repeatedGet, servedBy } from '../requests.ts';
import { fail, pass, type CheckFn } from '../types.ts';

export const affinityCheck: CheckFn<CheckParams<'affinity'>> = async (params, observed, ctx) => {
  const svc = findService(observed, params.service);
  if (!svc) return fail(`No Service named ${params.service} in your namespace.`);
  const port = params.port ?? svc.spec.ports[0]?.port;
  if (port === undefined) return fail(`Service ${params.service} has no ports.`);
  const url = `http://${params.service}:${port}/`;
  const names = observed.pods.map((p) => p.metadata.name);
  const clients = await ctx.probeClients(params.clients);
  const runs = await Promise.all(clients.map((c) => repeatedGet(ctx, { pod: c.metadata.name, container: PROBE_CONTAINER }, url, params.requests)));
  const evidence = clients.map((c, i) => ({ client: c.metadata.name, clientIP: c.status.podIP ?? null, answers: (runs[i]?.outcomes ?? []).map((o) => (o.kind === 'response' ? excerpt(o.body, 80) : o.kind)) }));
  const problems: string[] = [];
  clients.forEach((client, i) => {
    const outcomes = runs[i]?.outcomes ?? [];
    const who = `probe Pod ${client.metadata.name}`;
    const failed = outcomes.find((o) => o.kind !== 'response');
    if (failed !== undefined) {
      problems.push(`a request from ${who} to ${url} failed: ${describeFailure(failed)}`);
      return;
    }
    const bodies = outcomes.map((o) => (o.kind === 'response' ? o.body : ''));
    const unnamed = bodies.find((b) => servedBy(b, names) === undefined);
    if (unnamed !== undefined) {
      problems.push(`an answer to ${who} does not name the Pod that served it ("${excerpt(unnamed, 60)}"), so stickiness cannot be seen`);
      return;
    }
    const backends = [...new Set(bodies.map((b) => servedBy(b, names)!))];
    if (backends.length > 1) {
      problems.push(`${who} sent ${outcomes.length} requests and was answered by ${backends.length} different Pods (${backends.join(', ')}); with sessionAffinity ClientIP one client always reaches the same Pod`);
    }
  });
  if (outcomesShort(runs, params.requests)) problems.push(`some clients got fewer than ${params.requests} answers`);
  if (problems.length > 0) return fail(`${problems.join('; ')}.`, evidence);
  const stuck = clients.map((c, i) => {
    const first = runs[i]?.outcomes[0];
    return `${c.metadata.name} → ${first?.kind === 'response' ? (servedBy(first.body, names) ?? '?') : '?'}`;
  });
  return pass(`Service ${params.service} kept each of ${clients.length} clients on one Pod for all ${params.requests} requests to ${url} (${stuck.join(', ')}).`, evidence);
};

function outcomesShort(runs: readonly { outcomes: readonly unknown[] }[], requests: number): boolean {
  return runs.some((r) => r.outcomes.length < requests);
}
