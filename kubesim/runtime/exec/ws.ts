// Pod exec over WebSocket (v5/v4.channel.k8s.io): binary frames whose first byte is the
// channel (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5 [255, ch] closes a
// channel from the client). All output, then one status frame on 3, then close 1000.
// Sources: k8s.io/apimachinery/pkg/util/remotecommand/constants.go;
// client-go/tools/remotecommand/websocket.go; client-node src/web-socket-handler.ts.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Rng } from '../../core/clock.ts';
import { badRequest, StatusError } from '../../core/errors.ts';
import type { ExecRequest } from '../../core/podio.ts';
import type { StoredObject } from '../../core/types.ts';
import type { ContainerInstance } from '../containers.ts';
import type { Network } from '../net/system.ts';
import { parsePod } from '../podspec.ts';
import { Killed, type Waiter } from '../proc.ts';
import { PipeStdin } from '../tty/pipe.ts';
import { parseResize } from '../tty/resize.ts';
import { Terminal } from '../tty/terminal.ts';
import { execInContainer } from './run.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The status frame's JSON, field order as Go marshals metav1.Status. */
export function exitStatus(argv: string[], exitCode: number, internalError?: string): string {
  if (internalError) {
    return JSON.stringify({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${internalError}`, reason: 'InternalError', details: { causes: [{ message: internalError }] }, code: 500 });
  }
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

export function chooseProtocol(header: string | string[] | undefined): string | undefined {
  const offered = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return PROTOCOLS.find((p) => offered.includes(p));
}

interface ExecServerDeps {
  resolve: (pod: StoredObject, container: string) => ContainerInstance | undefined;
  network: Network;
  waiter: Waiter;
  rng: Rng;
}

export class ExecServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => PROTOCOLS.find((p) => protocols.has(p)) ?? false });

  constructor(private readonly deps: ExecServerDeps) {}

  /** Validate (throwing StatusError before any upgrade), then upgrade and run. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest): void {
    const pod = parsePod(request.pod);
    const names = pod.spec.containers.map((c) => c.name);
    const defaultName = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0] ?? '';
    const container = request.container ?? defaultName;
    const known = [...names, ...(pod.spec.initContainers ?? []).map((c) => c.name)];
    if (!known.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    if (!pod.spec.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    if (!request.stdin && !request.stdout && !request.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr');
    if (request.command.length === 0) throw badRequest('you must specify at least 1 command');
    const instance = this.deps.resolve(request.pod, container);
    if (!instance) throw new StatusError(400, 'BadRequest', `container not found ("${container}")`);
    if (!chooseProtocol(req.headers['sec-websocket-protocol'])) {
      throw badRequest('unable to upgrade connection: no supported WebSocket subprotocol offered (want v5.channel.k8s.io or v4.channel.k8s.io)');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, instance, request));
  }

  private session(ws: WebSocket, instance: ContainerInstance, request: ExecRequest): void {
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    // Fed by channel-0 frames; EOF on the client's [255, 0] or when the socket closes.
    const stdin = new PipeStdin();
    if (!request.stdin) stdin.end();
    let cancel: (() => void) | undefined;
    let interrupted = false;
    let open = true;
    const send = (channel: number, data: string): void => {
      if (!open || data === '') return;
      ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data, 'utf8')]));
    };
    // exec -t: stdin goes through a terminal (echo, line editing, Ctrl-C); without -i there is nothing to type.
    const terminal = request.tty && request.stdin ? new Terminal(this.deps.waiter, request.stdout ? (s) => send(1, s) : () => undefined) : undefined;
    if (terminal) {
      terminal.onInterrupt = () => {
        interrupted = true;
        cancel?.();
      };
    }
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      if (!isBinary || data.length === 0) return;
      const channel = data[0];
      if (channel === 0) {
        if (terminal) terminal.input(data.subarray(1).toString('utf8'));
        else stdin.push(data.subarray(1));
      } else if (channel === 255 && v5 && data[1] === 0) {
        stdin.end();
        terminal?.hangUp();
      } else if (channel === 4) {
        const size = parseResize(data.subarray(1));
        if (size) terminal?.resize(size.width, size.height);
      }
    });
    ws.on('close', () => {
      open = false;
      stdin.end();
      terminal?.hangUp();
      cancel?.();
    });
    ws.on('error', () => {
      open = false;
      cancel?.();
    });
    // A tty has a single output stream: stderr goes to stdout.
    const plainOut = request.stdout ? (s: string) => send(1, s) : () => undefined;
    const out = terminal ? (s: string) => terminal.write(s) : plainOut;
    const err = request.tty ? out : request.stderr ? (s: string) => send(2, s) : () => undefined;
    const finish = (status: string): void => {
      if (!open) return;
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(status, 'utf8')]));
      ws.close(1000);
    };
    execInContainer({
      instance, network: this.deps.network, waiter: this.deps.waiter, rng: this.deps.rng,
      argv: request.command, stdin: terminal?.stdin ?? stdin, tty: terminal, out, err,
      onCancel: (c) => { cancel = c; },
    }).then(
      (o) => finish(exitStatus(request.command, o.exitCode, o.internalError)),
      (e: unknown) => {
        // Ctrl-C with no shell owning the terminal: the command dies of SIGINT (128 + 2).
        if (interrupted && e instanceof Killed) return finish(exitStatus(request.command, 130));
        finish(exitStatus(request.command, 1, e instanceof Error ? e.message : String(e)));
      },
    );
  }
}
