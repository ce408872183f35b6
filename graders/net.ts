// One HTTP GET or TCP connect from inside a Pod, with the tool that Pod has, turned
// into a value: an answer, or the way it failed (refused, timed out, unresolved).
// busybox wget: errors on stderr, exit 1 (KUBESIM.md §5); `-S` prints the status line.
// curl: exit codes 6 resolve, 7 connect, 28 timeout, 52 empty reply (libcurl-errors).
import { pickTool, type Source } from './sources.ts';
import type { CheckContext, ExecResult } from './types.ts';

export type Outcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'refused' | 'timeout' | 'unresolved' | 'no-http' | 'other'; detail: string };

export interface Attempted {
  outcome: Outcome;
  command: string[];
  result: ExecResult;
}

/** Seconds a single request may take; the exec deadline is far above it. */
export const REQUEST_TIMEOUT_S = 2;
const STATUS_MARK = '\n__kubelab_status__';

export function wgetArgv(url: string): string[] {
  return ['wget', '-S', '-q', '-O', '-', '-T', String(REQUEST_TIMEOUT_S), url];
}

export function curlArgv(url: string): string[] {
  return ['curl', '-s', '-S', '-m', String(REQUEST_TIMEOUT_S), '-w', `${STATUS_MARK}%{http_code}`, url];
}

export function parseWget(r: ExecResult): Outcome {
  const statuses = [...r.stderr.matchAll(/HTTP\/[\d.]+ (\d{3})/g)].map((m) => Number(m[1]));
  const status = statuses.at(-1);
  const line = r.stderr.split('\n').find((l) => l.startsWith('wget:'))?.trim() ?? r.stderr.trim();
  if (r.exitCode === 0) return { kind: 'response', status: status ?? 200, body: r.stdout };
  if (/server returned error/.test(r.stderr) && status !== undefined) return { kind: 'response', status, body: r.stdout };
  if (/Connection refused/.test(r.stderr)) return { kind: 'refused', detail: line };
  if (/timed out/.test(r.stderr)) return { kind: 'timeout', detail: line };
  if (/bad address/.test(r.stderr)) return { kind: 'unresolved', detail: line };
  if (/Connection reset|error getting response/.test(r.stderr)) return { kind: 'no-http', detail: line };
  return { kind: 'other', detail: line || `wget exited ${r.exitCode}` };
}

export function parseCurl(r: ExecResult): Outcome {
  const at = r.stdout.lastIndexOf(STATUS_MARK);
  const body = at >= 0 ? r.stdout.slice(0, at) : r.stdout;
  const status = at >= 0 ? Number(r.stdout.slice(at + STATUS_MARK.length).trim()) : 0;
  const detail = r.stderr.trim() || `curl exited ${r.exitCode}`;
  if (r.exitCode === 0 && status > 0) return { kind: 'response', status, body };
  if (r.exitCode === 7) return { kind: 'refused', detail };
  if (r.exitCode === 28) return { kind: 'timeout', detail };
  if (r.exitCode === 6) return { kind: 'unresolved', detail };
  if (r.exitCode === 52 || r.exitCode === 56 || r.exitCode === 1 || r.exitCode === 8) return { kind: 'no-http', detail };
  return { kind: 'other', detail };
}

export async function httpGet(ctx: CheckContext, source: Source, url: string): Promise<Attempted> {
  const tool = pickTool(source, ['wget', 'curl'], 'send HTTP requests');
  const command = tool === 'wget' ? wgetArgv(url) : curlArgv(url);
  const result = await ctx.exec(source.target, command);
  return { outcome: tool === 'wget' ? parseWget(result) : parseCurl(result), command, result };
}

/** Opens a TCP connection and closes it. With curl, any answer (even a non-HTTP one) proves the connection opened. */
export async function tcpConnect(ctx: CheckContext, source: Source, host: string, port: number): Promise<Attempted> {
  const tool = pickTool(source, ['nc', 'curl'], 'open TCP connections');
  if (tool === 'nc') {
    const command = ['nc', '-z', '-v', '-w', String(REQUEST_TIMEOUT_S), host, String(port)];
    const result = await ctx.exec(source.target, command);
    const line = result.stderr.trim();
    const outcome: Outcome =
      result.exitCode === 0 ? { kind: 'response', status: 0, body: '' }
      : /refused/i.test(line) ? { kind: 'refused', detail: line }
      : /timed out/i.test(line) ? { kind: 'timeout', detail: line }
      : /bad address/i.test(line) ? { kind: 'unresolved', detail: line }
      : { kind: 'other', detail: line || `nc exited ${result.exitCode}` };
    return { outcome, command, result };
  }
  const command = curlArgv(`http://${host}:${port}/`);
  const result = await ctx.exec(source.target, command);
  const parsed = parseCurl(result);
  const outcome: Outcome = parsed.kind === 'no-http' ? { kind: 'response', status: 0, body: '' } : parsed;
  return { outcome, command, result };
}

export function describeFailure(o: Exclude<Outcome, { kind: 'response' }>): string {
  switch (o.kind) {
    case 'refused':
      return `the connection was refused (${o.detail})`;
    case 'timeout':
      return `no answer within ${REQUEST_TIMEOUT_S} s (${o.detail})`;
    case 'unresolved':
      return `the name did not resolve (${o.detail})`;
    case 'no-http':
      return `the connection opened but no HTTP answer came back (${o.detail})`;
    case 'other':
      return o.detail;
  }
}
