// The graders' Executor over the exec subresource with a small WebSocket client (websocket.ts; no client-node):
// the channel protocol of kubectl exec. Each binary frame starts with its stream:
// 1 stdout, 2 stderr, 3 the Status the command ended with. v5 is asked first; v4 has
// the same frames for a command without stdin.
import type { GradeCost } from '../../../graders/counting.ts';
import { runExec, type Executor } from '../../../graders/exec-run.ts';
import { execStatusSchema } from '../../../graders/exec-status.ts';
import { agentFor, apiUrl, authHeaders, type LeanConnection } from './connection.ts';
import { openWebSocket } from './websocket.ts';

const SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;

export function leanExecutor(connection: LeanConnection, cost?: GradeCost): Executor {
  return (target, argv, options) =>
    runExec(target, argv, options, cost, (run) => {
      const url = apiUrl(connection, `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`);
      url.searchParams.set('container', target.container);
      for (const arg of argv) url.searchParams.append('command', arg);
      url.searchParams.set('stdout', 'true');
      url.searchParams.set('stderr', 'true');
      const socket = openWebSocket(url, SUBPROTOCOLS, { headers: authHeaders(connection), agent: agentFor(connection) }, {
        message(data, binary) {
          if (!binary || data.length === 0) return;
          const payload = data.subarray(1).toString('utf8');
          if (data[0] === STDOUT) run.stdout += payload;
          else if (data[0] === STDERR) run.stderr += payload;
          else if (data[0] === STATUS) {
            try {
              run.ended(execStatusSchema.parse(JSON.parse(payload)));
            } catch (err) {
              run.fail(`exec in ${run.where} ended with an unreadable status: ${payload.slice(0, 200)}`, err);
            }
          }
        },
        // The apiserver refusing the upgrade (Pod gone, container not running, forbidden) answers with a Status body.
        unexpectedResponse(statusCode, body) {
          let message = body.slice(0, 300);
          try {
            message = execStatusSchema.parse(JSON.parse(body)).message ?? message;
          } catch {
            // Not a Status: keep the text.
          }
          run.fail(`exec in ${run.where} could not start: HTTP ${statusCode}${message ? `: ${message}` : ''}`);
        },
        error: (err) => run.fail(`exec in ${run.where} could not start: ${err.message}`, err),
        close: () => run.fail(`exec in ${run.where} closed without an exit status`),
      });
      run.attach({ close: () => socket.terminate() });
    });
}
