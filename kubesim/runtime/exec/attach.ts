// Pod attach over WebSocket (v5/v4.channel.k8s.io, the same framing as exec): the
// container's main process output as it is written, and with ?stdin=true what the
// client types goes to its stdin (through its terminal when the container has tty: true).
// The session ends when the main process ends: one Success status frame, then close 1000
// (the kubelet reports success for a finished attach whatever the exit code; kubectl run
// reads the exit code from the Pod's status).
// Sources: k8s.io/kubelet/pkg/cri/streaming/remotecommand/attach.go;
// k8s.io/kubectl/pkg/cmd/attach/attach.go; k8s.io/kubectl/pkg/cmd/run/run.go.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { badRequest } from '../../core/errors.ts';
import type { AttachRequest } from '../../core/podio.ts';
import type { StoredObject } from '../../core/types.ts';
import type { ContainerInstance } from '../containers.ts';
import { parsePod } from '../podspec.ts';
import type { AttachClient } from '../tty/console.ts';
import { parseResize } from '../tty/resize.ts';
import { chooseProtocol, exitStatus } from './ws.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

interface AttachServerDeps {
  resolve: (pod: StoredObject, container: string) => ContainerInstance | undefined;
}

export class AttachServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => PROTOCOLS.find((p) => protocols.has(p)) ?? false });

  constructor(private readonly deps: AttachServerDeps) {}

  /** Validate (throwing StatusError before any upgrade), then upgrade and attach. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, request: AttachRequest): void {
    const pod = parsePod(request.pod);
    const names = pod.spec.containers.map((c) => c.name);
    const defaultName = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0] ?? '';
    const container = request.container ?? defaultName;
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot attach a container in a completed pod; current phase is ${phase}`);
    if (!pod.spec.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    if (!request.stdin && !request.stdout && !request.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr');
    const instance = this.deps.resolve(request.pod, container);
    if (!instance?.console || instance.console.isEnded) throw badRequest(`container ${container} is not running`);
    if (!chooseProtocol(req.headers['sec-websocket-protocol'])) {
      throw badRequest('unable to upgrade connection: no supported WebSocket subprotocol offered (want v5.channel.k8s.io or v4.channel.k8s.io)');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, instance, request));
  }

  private session(ws: WebSocket, instance: ContainerInstance, request: AttachRequest): void {
    const console = instance.console;
    if (!console) return void ws.close(1011);
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    let open = true;
    const send = (channel: number, data: string): void => {
      if (!open || data === '') return;
      ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data, 'utf8')]));
    };
    const out = request.stdout ? (s: string) => send(1, s) : () => undefined;
    const client: AttachClient = {
      out,
      // A tty has one output stream; without one stderr has its own channel when asked for.
      err: request.tty ? out : request.stderr ? (s: string) => send(2, s) : () => undefined,
      end: () => {
        if (!open) return;
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(exitStatus([], 0), 'utf8')]));
        open = false;
        ws.close(1000);
      },
    };
    const attachment = console.attach(client, request.stdin);
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      if (!isBinary || data.length === 0) return;
      const channel = data[0];
      if (channel === 0) attachment.input(data.subarray(1));
      else if (channel === 255 && v5 && data[1] === 0) attachment.closeStdin();
      else if (channel === 4) {
        const size = parseResize(data.subarray(1));
        if (size) attachment.resize(size.width, size.height);
      }
    });
    ws.on('close', () => {
      open = false;
      attachment.detach();
    });
    ws.on('error', () => {
      open = false;
      attachment.detach();
    });
  }
}
