// The graders' Executor over the exec subresource with `ws` alone (no client-node):
// the channel protocol of kubectl exec. Each binary frame starts with its stream:
// 1 stdout, 2 stderr, 3 the Status the command ended with. v5 is asked first; v4 has
// the same frames for a command without stdin.
import WebSocket from 'ws';
import type { GradeCost } from '../../../graders/counting.ts';
import type { Executor } from '../../../graders/exec.ts';
import { execStatusSchema, exitCodeOf } from '../../../graders/exec-status.ts';
import { GraderError, type ExecResult } from '../../../graders/types.ts';
import { authHeaders, tlsOptions, type LeanConnection } from './connection.ts';

const SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;

export function leanExecutor(connection: LeanConnection, cost?: GradeCost): Executor {
  return (target, argv, options) =>
    new Promise<ExecResult>((resolve, reject) => {
      if (cost) cost.execs++;
      const where = `${target.pod}/${target.container}`;
      let stdout = '';
      let stderr = '';
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        socket?.terminate();
        fn();
      };
      const fail = (message: string, cause?: unknown) =>
        finish(() => reject(new GraderError(message, { pod: where, command: [...argv], stdout, stderr }, { cause })));
      const onAbort = () => fail(`exec in ${where} was cancelled: the check ran out of time`);
      const timer = setTimeout(() => fail(`exec in ${where} did not finish within ${options.timeoutMs} ms`), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let socket: WebSocket | undefined;
      if (options.signal?.aborted) return onAbort();

      const url = new URL(
        `api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`,
        connection.server.toString().replace(/\/?$/, '/'),
      );
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('container', target.container);
      for (const arg of argv) url.searchParams.append('command', arg);
      url.searchParams.set('stdout', 'true');
      url.searchParams.set('stderr', 'true');
      socket = new WebSocket(url, SUBPROTOCOLS, { headers: authHeaders(connection), ...tlsOptions(connection) });
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || data.length === 0) return;
        const payload = data.subarray(1).toString('utf8');
        if (data[0] === STDOUT) stdout += payload;
        else if (data[0] === STDERR) stderr += payload;
        else if (data[0] === STATUS) {
          let status;
          try {
            status = execStatusSchema.parse(JSON.parse(payload));
          } catch (err) {
            return fail(`exec in ${where} ended with an unreadable status: ${payload.slice(0, 200)}`, err);
          }
          const exitCode = exitCodeOf(status);
          if (exitCode === undefined) return fail(`exec in ${where} failed: ${status.message ?? status.reason ?? 'unknown status'}`);
          finish(() => resolve({ stdout, stderr, exitCode }));
        }
      });
      // The apiserver refusing the upgrade (Pod gone, container not running, forbidden) answers with a Status body.
      socket.on('unexpected-response', (_req, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          let message = body.slice(0, 300);
          try {
            message = execStatusSchema.parse(JSON.parse(body)).message ?? message;
          } catch {
            // Not a Status: keep the text.
          }
          fail(`exec in ${where} could not start: HTTP ${response.statusCode}${message ? `: ${message}` : ''}`);
        });
      });
      socket.on('error', (err) => fail(`exec in ${where} could not start: ${err.message}`, err));
      socket.on('close', () => fail(`exec in ${where} closed without an exit status`));
    });
}
