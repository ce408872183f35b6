// GET /api/v1/classes/:classId/events — the dashboard's live matrix as Server-Sent
// Events: a `matrix` event at once, then again whenever a member's attempt moves, a
// member opens or leaves a lab page, and every REFRESH_MS (environments expire, "active
// now" fades). Changes are coalesced: forty learners pressing Check at once cost one
// matrix every SETTLE_MS, not forty.
import { keysMay } from '../api-keys/rules.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClassService } from '../../classes/service.ts';
import type { Presence } from '../../classes/presence.ts';
import type { Db } from '../../db/database.ts';
import type { AttemptEvents } from '../../grading/events.ts';
import { eventStreams } from '../event-stream.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { ClassParams } from './classes-schemas.ts';
import { matrixResponse } from './classes.ts';
import { currentCaller, requireStaff, type Authenticate } from './environments-auth.ts';

export const SETTLE_MS = 300;
export const REFRESH_MS = 20_000;

export interface ClassEventsOptions {
  readonly classes: ClassService;
  readonly db: Db;
  readonly events: AttemptEvents;
  readonly presence: Presence;
  readonly authenticate: Authenticate;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse } as const;

export const classEventRoutes: FastifyPluginAsyncZod<ClassEventsOptions> = async (app, { classes, db, events, presence, authenticate }) => {
  requireStaff(app, authenticate);
  const openStream = eventStreams(app);

  app.get('/classes/:classId/events', {
    ...keysMay('results:read'),
    schema: {
      tags: ['instructor'],
      summary: 'Follow a class live (text/event-stream): a `matrix` event (same body as GET …/matrix) now and after every change',
      params: ClassParams,
      querystring: NoQuery,
      response: errors,
    },
  }, async (request, reply) => {
    const caller = currentCaller(request);
    const classId = request.params.classId;
    const first = matrixResponse(classes, caller, classId); // 404 before the stream starts
    const stream = openStream(request, reply, { retryMs: 3000 });
    stream.send('matrix', first);

    let pending: NodeJS.Timeout | undefined;
    const push = () => {
      pending = undefined;
      try {
        stream.send('matrix', matrixResponse(classes, caller, classId));
      } catch (error) {
        // The class was deleted or the caller lost access: end the stream.
        request.log.info({ err: error instanceof Error ? error.message : String(error) }, 'class stream ended');
        stream.end();
      }
    };
    const soon = () => {
      pending ??= setTimeout(push, SETTLE_MS);
    };
    const isMember = (userId: number) => db.classes.isMember(classId, userId);
    const stopAttempts = events.subscribeAll((_attemptId, event) => {
      const userId = event.type === 'attempt' ? event.attempt.userId : undefined;
      // A check result names only its attempt; its attempt event follows and says whose.
      if (userId === undefined ? true : isMember(userId)) soon();
    });
    const stopPresence = presence.onChange((userId) => {
      if (isMember(userId)) soon();
    });
    const tick = setInterval(soon, REFRESH_MS);

    stream.onEnd(() => {
      clearTimeout(pending);
      clearInterval(tick);
      stopAttempts();
      stopPresence();
    });
  });
};
