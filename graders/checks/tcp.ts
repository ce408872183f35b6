// `tcp`: a TCP connection to host:port opens from inside the cluster.
import { describeFailure, tcpConnect } from '../net.ts';
import { diagnoseReach } from '../reach.ts';
import type { CheckParams } from '../params.ts';
import { fillNamespace, resolveSource } from '../sources.ts';
import { fail, pass, type CheckFn } from '../types.ts';

export const tcpCheck: CheckFn<CheckParams<'tcp'>> = async (params, observed, ctx) => {
  const host = fillNamespace(params.host, observed.namespace);
  const source = await resolveSource(params.from, observed, ctx);
  if ('status' in source) return source;
  const { outcome, command, result } = await tcpConnect(ctx, source, host, params.port);
  const evidence = { from: source.label, command, exitCode: result.exitCode, stdout: result.stdout.slice(0, 500), stderr: result.stderr.slice(0, 500) };
  if (outcome.kind !== 'response') {
    const diagnosis = await diagnoseReach('tcp', outcome, host, params.port, observed, ctx);
    return fail(`A TCP connection to ${host}:${params.port} from the ${source.label} failed: ${describeFailure(outcome)}${diagnosis ? `: ${diagnosis.why}` : ''}.`, evidence, diagnosis?.cause);
  }
  return pass(`${host}:${params.port} accepts TCP connections from the ${source.label}.`, evidence);
};
