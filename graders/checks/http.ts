// `http`: a GET from inside the cluster; the body must contain `expectBody` and the
// status must be `expectStatus` (default: any 2xx).
import { describeFailure, httpGet } from '../net.ts';
import { diagnoseReach, hostPort } from '../reach.ts';
import type { CheckParams } from '../params.ts';
import { fillNamespace, resolveSource } from '../sources.ts';
import { fail, pass, type CheckFn } from '../types.ts';

export function excerpt(body: string, max = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export const httpCheck: CheckFn<CheckParams<'http'>> = async (params, observed, ctx) => {
  const url = fillNamespace(params.url, observed.namespace);
  const source = await resolveSource(params.from, observed, ctx);
  if ('status' in source) return source;
  const { outcome, command, result } = await httpGet(ctx, source, url);
  const evidence = { from: source.label, command, exitCode: result.exitCode, stdout: result.stdout.slice(0, 2000), stderr: result.stderr.slice(0, 500) };
  const where = `GET ${url} from the ${source.label}`;
  if (outcome.kind !== 'response') {
    const { host, port } = hostPort(url);
    const diagnosis = await diagnoseReach('http', outcome, host, port, observed, ctx);
    return fail(`${where}: ${describeFailure(outcome)}${diagnosis ? `: ${diagnosis.why}` : ''}.`, evidence, diagnosis?.cause);
  }
  const statusOk = params.expectStatus === undefined ? outcome.status >= 200 && outcome.status < 300 : outcome.status === params.expectStatus;
  if (!statusOk) return fail(`${where} answered HTTP ${outcome.status}; expected ${params.expectStatus ?? 'a 2xx status'}.`, evidence, 'wrong-status');
  if (params.expectBody !== undefined && !outcome.body.includes(params.expectBody)) {
    return fail(`${where} answered "${excerpt(outcome.body)}"; expected the answer to contain "${params.expectBody}".`, evidence, 'wrong-body');
  }
  return pass(`${where} answered HTTP ${outcome.status}${params.expectBody !== undefined ? ` containing "${params.expectBody}"` : ''}.`, evidence);
};
