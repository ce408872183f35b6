// The contract between the REST layer and the container runtime for the two
// streaming Pod subresources. The REST layer authenticates, authorizes, loads the
// Pod and parses the query; the runtime owns the streams.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StoredObject } from './types.ts';

export interface ExecRequest {
  pod: StoredObject;
  /** As given in ?container=; undefined means the default container. */
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** GET .../pods/{name}/attach: the container's main process, no command. */
export type AttachRequest = Omit<ExecRequest, 'command'>;

export interface LogRequest {
  pod: StoredObject;
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

export interface PodIO {
  /**
   * Serve GET .../pods/{name}/exec as a WebSocket upgrade (v5/v4.channel.k8s.io).
   * Throws a StatusError *before* upgrading for requests it refuses (unknown
   * container, completed Pod, no WebSocket protocol it speaks); the REST layer
   * writes that as Status JSON.
   */
  exec(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest): void;
  /** Serve GET .../pods/{name}/attach the same way: the main process's output, and its stdin with ?stdin=true. */
  attach(req: IncomingMessage, socket: Duplex, head: Buffer, request: AttachRequest): void;
  /** Serve GET .../pods/{name}/log as text/plain (chunked when following). May throw StatusError before writing. */
  logs(request: LogRequest, res: ServerResponse): void;
}
