// GET /api/v1/exercises/:id/environment/live — the portal's live view of the learner's
// namespace as Server-Sent Events: a `view` event with the whole picture after every
// change. The stream ends when its watch token is about to expire (or the watch fails);
// EventSource then reconnects and the next stream starts with a fresh token.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Presence } from '../../classes/presence.ts';
import type { EnvironmentService } from '../../environments/service.ts';
import { watchNamespace } from '../../live/watch.ts';
import { eventStreams } from '../event-stream.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { currentLearner, requireLearner, type Authenticate } from './environments-auth.ts';
import { translated } from './environments-errors.ts';
import { ExerciseParams } from './environments-schemas.ts';

export interface LiveRoutesOptions {
  service: EnvironmentService;
  authenticate: Authenticate;
  /** Told while a learner has a lab page open (the dashboard's "active now"). */
  presence?: Presence;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 503: ErrorResponse } as const;

export const liveRoutes: FastifyPluginAsyncZod<LiveRoutesOptions> = async (app, { service, authenticate, presence }) => {
  requireLearner(app, authenticate);
  const openStream = eventStreams(app);

  app.get('/exercises/:id/environment/live', {
    schema: {
      tags: ['environments'],
      summary: 'Follow your namespace live (text/event-stream): a `view` event with nodes, Pods, Services and endpoints after every change',
      params: ExerciseParams,
      querystring: NoQuery,
      response: errors,
    },
  }, async (request, reply) => {
    const learner = currentLearner(request);
    const access = await translated(() => service.watchKubeconfig(learner.id, request.params.id));
    const stream = openStream(request, reply, { retryMs: 2000 });
    const leave = presence?.enter(learner.id);
    let stopWatch: (() => Promise<void>) | undefined;
    // The stream ends before its token does; EventSource reconnects with a fresh one.
    const expiry = setTimeout(() => stream.end(), access.validForMs);
    stream.onEnd(() => {
      leave?.();
      clearTimeout(expiry);
      void stopWatch?.();
    });
    try {
      const watch = await watchNamespace({
        kubeconfig: access.kubeconfig,
        namespace: access.namespace,
        onView: (view) => stream.send('view', view),
        onError: (error) => {
          request.log.info({ err: error instanceof Error ? error.message : String(error) }, 'live view watch ended');
          stream.end();
        },
      });
      stopWatch = watch.stop;
      if (stream.ended) void watch.stop();
    } catch (error) {
      request.log.info({ err: error instanceof Error ? error.message : String(error) }, 'live view watch could not start');
      stream.end();
    }
  });
};
