// The Pod subresources served by upgrading the connection (WebSocket), one row each:
// the REST layer authenticates, authorizes (create/get on pods/<subresource>) and loads
// the Pod, then the row parses the query and hands the socket to the runtime.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PodIO } from '../core/podio.ts';
import type { StoredObject } from '../core/types.ts';
import { attachRequest, execRequest } from './streams.ts';

export type UpgradeHandler = (podIO: PodIO, req: IncomingMessage, socket: Duplex, head: Buffer, pod: StoredObject, params: URLSearchParams) => void;

export const podUpgrades = new Map<string, UpgradeHandler>([
  ['exec', (io, req, socket, head, pod, params) => io.exec(req, socket, head, execRequest(pod, params))],
  ['attach', (io, req, socket, head, pod, params) => io.attach(req, socket, head, attachRequest(pod, params))],
]);

/** "pods/exec, pods/attach": for the refusal of any other upgrade. */
export function servedUpgrades(): string {
  return [...podUpgrades.keys()].map((s) => `pods/${s}`).join(', ');
}
