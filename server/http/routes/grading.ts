// Grading API: start an attempt, read it, follow it live (Server-Sent Events), list
// history. The learner is always the authenticated caller; another learner's attempt
// answers 404, exactly like one that does not exist.
import { pageOfSorted, PageQuery } from '../pagination/cursor.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Catalog } from '../../catalog/loader.ts';
import type { AttemptEvent } from '../../grading/events.ts';
import { UnknownExerciseError, type GradingService } from '../../grading/service.ts';
import { HttpError } from '../errors.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { currentLearner, requireLearner, type Authenticate } from './environments-auth.ts';
import { toHttpError } from './environments-errors.ts';
import { ExerciseParams } from './environments-schemas.ts';
import { AttemptListResponse, AttemptParams, AttemptResponse, StartAttemptResponse, attemptView, checkResultView } from './grading-schemas.ts';

export interface GradingRoutesOptions {
  grading: GradingService;
  catalog: Catalog;
  authenticate: Authenticate;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 503: ErrorResponse } as const;
const tags = ['grading'];

class AttemptNotFoundError extends HttpError {
  constructor() {
    super(404, 'attempt_not_found', 'no such attempt among yours');
  }
}

async function translated<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UnknownExerciseError) throw new HttpError(404, 'exercise_not_found', error.message);
    throw toHttpError(error);
  }
}

export const gradingRoutes: FastifyPluginAsyncZod<GradingRoutesOptions> = async (app, { grading, catalog, authenticate }) => {
  // 401 before any validation: an anonymous caller learns nothing about ids or exercises.
  requireLearner(app, authenticate);

  app.post('/exercises/:id/attempts', {
    schema: {
      tags,
      summary: 'Check my work: grade your environment for this exercise (returns the attempt in flight if there is one)',
      params: ExerciseParams,
      querystring: NoQuery,
      response: { 200: StartAttemptResponse, 202: StartAttemptResponse, ...errors },
    },
  }, async (request, reply) =>
    translated(() => {
      const learner = currentLearner(request);
      const { attempt, existing } = grading.start(learner.id, request.params.id);
      const view = grading.view(learner.id, attempt.id);
      return reply.code(existing ? 200 : 202).send({
        attempt: attemptView(view?.attempt ?? attempt),
        checks: (view?.results ?? []).map((r) => checkResultView(catalog, attempt.exerciseId, r)),
        started: !existing,
      });
    }),
  );

  app.get('/exercises/:id/attempts', {
    schema: { tags, summary: 'Your attempts at this exercise, newest first, a page at a time', params: ExerciseParams, querystring: PageQuery, response: { 200: AttemptListResponse, ...errors } },
  }, async (request) =>
    translated(() => {
      const learner = currentLearner(request);
      const newestFirst = [...grading.history(learner.id, request.params.id)].sort((a, b) => b.id - a.id);
      const page = pageOfSorted(newestFirst, request.query, (a) => a.id, 'desc');
      return { attempts: page.items.map(attemptView), nextCursor: page.nextCursor };
    }),
  );

  app.get('/attempts/:attemptId', {
    schema: { tags, summary: 'One of your attempts with its check results', params: AttemptParams, querystring: NoQuery, response: { 200: AttemptResponse, ...errors } },
  }, async (request) =>
    translated(() => {
      const learner = currentLearner(request);
      const view = grading.view(learner.id, request.params.attemptId);
      if (!view) throw new AttemptNotFoundError();
      return { attempt: attemptView(view.attempt), checks: view.results.map((r) => checkResultView(catalog, view.attempt.exerciseId, r)) };
    }),
  );

  app.get('/attempts/:attemptId/events', {
    schema: {
      tags,
      summary: 'Follow an attempt (text/event-stream): a `check` event per result (finished ones first), then one `attempt` event, then the stream ends',
      params: AttemptParams,
      querystring: NoQuery,
      response: { ...errors },
    },
  }, async (request, reply) => {
    const learner = currentLearner(request);
    const attemptId = request.params.attemptId;
    // Subscribe before reading what is stored, then drop duplicates: results are stored
    // before they are published, so nothing falls between the two.
    const buffered: AttemptEvent[] = [];
    let live: ((event: AttemptEvent) => void) | undefined;
    const unsubscribe = grading.events.subscribe(attemptId, (event) => (live ? live(event) : buffered.push(event)));
    const view = grading.view(learner.id, attemptId);
    if (!view) {
      unsubscribe();
      throw new AttemptNotFoundError();
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const sent = new Set<string>();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      raw.end();
    };
    request.raw.on('close', close);
    const send = (event: AttemptEvent) => {
      if (closed) return;
      if (event.type === 'check') {
        if (sent.has(event.result.checkId)) return;
        sent.add(event.result.checkId);
        raw.write(`event: check\ndata: ${JSON.stringify(checkResultView(catalog, view.attempt.exerciseId, event.result))}\n\n`);
        return;
      }
      if (event.attempt.status === 'queued' || event.attempt.status === 'running') return;
      raw.write(`event: attempt\ndata: ${JSON.stringify(attemptView(event.attempt))}\n\n`);
      close();
    };
    for (const result of view.results) send({ type: 'check', result });
    const ended = view.attempt.status === 'finished' || view.attempt.status === 'interrupted';
    if (ended) return send({ type: 'attempt', attempt: view.attempt });
    for (const event of buffered) send(event);
    live = send;
    // The attempt may have finished between the read and now; the stored state settles it.
    const latest = grading.view(learner.id, attemptId);
    if (latest && (latest.attempt.status === 'finished' || latest.attempt.status === 'interrupted')) {
      for (const result of latest.results) send({ type: 'check', result });
      send({ type: 'attempt', attempt: latest.attempt });
    }
  });
};
