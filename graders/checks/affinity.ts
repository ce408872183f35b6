// `affinity`: from each of `clients` probe Pods (distinct client IPs), `requests` new
// connections to the Service; with sessionAffinity ClientIP every answer one client
// gets names the same Pod. The backends echo their Pod name, so the answers tell.
// Causes: one ready endpoint cannot show stickiness (any Service sends one client to the
// one Pod), and an affinity that lasts under MIN_AFFINITY_SECONDS is no stickiness a
// user would notice (clients pausing a few seconds land anywhere again), so both fail
// before any request; Pods that differ across one client's answers are no-affinity
// when sessionAffinity is not ClientIP, short-timeout when a timeout was set.
// zod/mini (see ../zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from '../zod-mini.ts';
import type { CauseOf } from '../causes.ts';
import { endpointView, slicesOf } from './endpoints.ts';
import { findService } from '../k8s/objects.ts';
import { describeFailure } from '../net.ts';
import type { CheckParams } from '../params.ts';
import { PROBE_CONTAINER } from '../probes.ts';
import { excerpt } from './http.ts';
import { repeatedGet, servedBy } from '../requests.ts';
import { fail, pass, type CheckFn } from '../types.ts';

/** Shorter than this, a pause between two clicks already sends the client elsewhere. */
export const MIN_AFFINITY_SECONDS = 10;

const AffinityConfig = z.looseObject({ sessionAffinityConfig: z.optional(z.looseObject({ clientIP: z.optional(z.looseObject({ timeoutSeconds: z.optional(z.number()) })) })) });

function affinityTimeout(spec: unknown): number | undefined {
  const parsed = AffinityConfig.safeParse(spec);
  return parsed.success ? parsed.data.sessionAffinityConfig?.clientIP?.timeoutSeconds : undefined;
}

// When several clients fail differently, the most telling cause names the fail.
const PRECEDENCE: readonly CauseOf<'affinity'>[] = ['no-affinity', 'short-timeout', 'no-pod-name', 'unreachable'];

export const affinityCheck: CheckFn<CheckParams<'affinity'>> = async (params, observed, ctx) => {
  const svc = findService(observed, params.service);
  if (!svc) return fail(`No Service named ${params.service} in your namespace.`, null, 'no-service');
  const port = params.port ?? svc.spec.ports[0]?.port;
  if (port === undefined) return fail(`Service ${params.service} has no ports.`);
  const ready = endpointView(slicesOf(observed, params.service)).ready;
  if (ready.length < 2) {
    return fail(`Service ${params.service} has ${ready.length} ready endpoint${ready.length === 1 ? '' : 's'}: with fewer than 2 Pods every request reaches the same one whatever the affinity, so stickiness cannot be shown.`, null, 'one-endpoint');
  }
  const timeoutSeconds = affinityTimeout(svc.spec);
  const clientIP = svc.spec.sessionAffinity === 'ClientIP';
  if (clientIP && timeoutSeconds !== undefined && timeoutSeconds < MIN_AFFINITY_SECONDS) {
    return fail(`Service ${params.service} keeps a client on its Pod for only ${timeoutSeconds} s (sessionAffinityConfig.clientIP.timeoutSeconds): a client that pauses longer is sent to any Pod again. Use at least ${MIN_AFFINITY_SECONDS} s, or leave it out for the default 10800 (3 h).`, null, 'short-timeout');
  }
  const url = `http://${params.service}:${port}/`;
  const names = observed.pods.map((p) => p.metadata.name);
  const clients = await ctx.probeClients(params.clients);
  const runs = await Promise.all(clients.map((c) => repeatedGet(ctx, { pod: c.metadata.name, container: PROBE_CONTAINER }, url, params.requests)));
  const evidence = clients.map((c, i) => ({ client: c.metadata.name, clientIP: c.status.podIP ?? null, answers: (runs[i]?.outcomes ?? []).map((o) => (o.kind === 'response' ? excerpt(o.body, 80) : o.kind)) }));
  const problems: string[] = [];
  const causes = new Set<CauseOf<'affinity'>>();
  clients.forEach((client, i) => {
    const outcomes = runs[i]?.outcomes ?? [];
    const who = `probe Pod ${client.metadata.name}`;
    const failed = outcomes.find((o) => o.kind !== 'response');
    if (failed !== undefined) {
      problems.push(`a request from ${who} to ${url} failed: ${describeFailure(failed)}`);
      causes.add('unreachable');
      return;
    }
    const bodies = outcomes.map((o) => (o.kind === 'response' ? o.body : ''));
    const unnamed = bodies.find((b) => servedBy(b, names) === undefined);
    if (unnamed !== undefined) {
      problems.push(`an answer to ${who} does not name the Pod that served it ("${excerpt(unnamed, 60)}"), so stickiness cannot be seen`);
      causes.add('no-pod-name');
      return;
    }
    const backends = [...new Set(bodies.map((b) => servedBy(b, names)!))];
    if (backends.length > 1) {
      const why = clientIP ? ` (sessionAffinity is ClientIP${timeoutSeconds !== undefined ? ` but its timeoutSeconds, ${timeoutSeconds}, ran out between requests` : ''})` : ` (Service ${params.service} has sessionAffinity ${svc.spec.sessionAffinity})`;
      problems.push(`${who} sent ${outcomes.length} requests and was answered by ${backends.length} different Pods (${backends.join(', ')})${why}; with sessionAffinity ClientIP one client always reaches the same Pod`);
      if (!clientIP) causes.add('no-affinity');
      else if (timeoutSeconds !== undefined) causes.add('short-timeout');
    }
  });
  if (outcomesShort(runs, params.requests)) problems.push(`some clients got fewer than ${params.requests} answers`);
  if (problems.length > 0) return fail(`${problems.join('; ')}.`, evidence, PRECEDENCE.find((c) => causes.has(c)));
  const stuck = clients.map((c, i) => {
    const first = runs[i]?.outcomes[0];
    return `${c.metadata.name} → ${first?.kind === 'response' ? (servedBy(first.body, names) ?? '?') : '?'}`;
  });
  return pass(`Service ${params.service} kept each of ${clients.length} clients on one Pod for all ${params.requests} requests to ${url} (${stuck.join(', ')}).`, evidence);
};

function outcomesShort(runs: readonly { outcomes: readonly unknown[] }[], requests: number): boolean {
  return runs.some((r) => r.outcomes.length < requests);
}
