// Server-Sent Events for the routes that follow something live (the live view, a class's
// matrix). One place for the headers, the framing, ending once, and shutdown: open
// streams never end on their own, so app.close() ends them (the browser's EventSource
// then reconnects to whichever server comes up) instead of waiting for them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  /** Writes one event; ignored once the stream has ended. */
  send(event: string, data: unknown): void;
  /** Ends the stream (idempotent); runs the cleanups registered with onEnd. */
  end(): void;
  /** Runs when the stream ends, whoever ends it: the client, the route, or shutdown. */
  onEnd(cleanup: () => void): void;
  readonly ended: boolean;
}

export type OpenEventStream = (request: FastifyRequest, reply: FastifyReply, options: { retryMs: number }) => EventStream;

/** Returns the opener for this plugin's routes, and ends their streams when the app closes. */
export function eventStreams(app: FastifyInstance): OpenEventStream {
  const open = new Set<EventStream>();
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.end();
  });
  return (request, reply, { retryMs }) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`retry: ${retryMs}\n\n`);
    const cleanups: (() => void)[] = [];
    const stream: EventStream = {
      ended: false,
      send(event, data) {
        if (!stream.ended) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      end() {
        if (stream.ended) return;
        (stream as { ended: boolean }).ended = true;
        open.delete(stream);
        for (const cleanup of cleanups) cleanup();
        raw.end();
      },
      onEnd(cleanup) {
        cleanups.push(cleanup);
      },
    };
    open.add(stream);
    request.raw.on('close', () => stream.end());
    return stream;
  };
}
