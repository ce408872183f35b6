// The instructor's API: classes, their join links and rosters, the matrix, exercise
// insight, a learner's attempts, environment actions and exports. Instructors and
// admins only (a learner gets 403); an instructor sees only their own classes (another's
// answers 404, exactly like one that does not exist). The dashboard pages read the same
// ClassService, so a script with an instructor token sees what the page shows.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toCsv } from '../../classes/csv.ts';
import { longTable, wideTable } from '../../classes/exports.ts';
import type { ClassService } from '../../classes/service.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { currentCaller, requireStaff, type Authenticate } from './environments-auth.ts';
import { translated } from './environments-errors.ts';
import { environmentView, EnvironmentView } from './environments-schemas.ts';
import { AttemptListResponse, AttemptResponse, attemptView, checkResultView } from './grading-schemas.ts';
import type { Catalog } from '../../catalog/loader.ts';
import type { Db } from '../../db/database.ts';
import {
  BulkActionParams,
  BulkActionResponse,
  ClassAttemptParams,
  ClassExerciseParams,
  ClassLearnerParams,
  ClassListResponse,
  ClassParams,
  ClassResponse,
  classView,
  CreateClassBody,
  EnvironmentActionParams,
  ExportJson,
  ExportQuery,
  InsightResponse,
  JoinLinkResponse,
  matrixRowView,
  MatrixResponse,
  memberView,
  UpdateClassBody,
} from './classes-schemas.ts';
import { z } from 'zod';
import { keysMay } from '../api-keys/rules.ts';
import { pageOfSorted, PageQuery } from '../pagination/cursor.ts';

export interface ClassRoutesOptions {
  readonly classes: ClassService;
  readonly catalog: Catalog;
  readonly db: Db;
  readonly authenticate: Authenticate;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse } as const;
const tags = ['instructor'];
const minutes = (m: number | null | undefined) => (m === undefined ? undefined : m === null ? null : m * 60_000);
const epoch = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : Date.parse(s));

/** The matrix as the API and the live stream send it. */
export function matrixResponse(classes: ClassService, caller: Parameters<ClassService['matrix']>[0], classId: number): MatrixResponse {
  const m = classes.matrix(caller, classId);
  return { class: classView(m.class), exercises: m.exercises, rows: m.rows.map(matrixRowView) };
}

export const classRoutes: FastifyPluginAsyncZod<ClassRoutesOptions> = async (app, { classes, catalog, db, authenticate }) => {
  requireStaff(app, authenticate);

  app.get('/classes', {
    ...keysMay('results:read', 'listed'),
    schema: { tags, summary: 'Your classes by id, a page at a time (an admin sees every class; a class API key its own)', querystring: PageQuery, response: { 200: ClassListResponse, ...errors } },
  }, async (request) => {
    const caller = currentCaller(request);
    const keyClass = caller.apiKey?.classId ?? null;
    const visible = classes.list(caller).filter((c) => keyClass === null || c.id === keyClass).sort((a, b) => a.id - b.id);
    const page = pageOfSorted(visible, request.query, (c) => c.id, 'asc');
    return { classes: page.items.map(classView), nextCursor: page.nextCursor };
  });

  app.post('/classes', {
    ...keysMay('classes:write', 'server'),
    schema: { tags, summary: 'Create a class; the answer holds its join link (shown once: rotate to get a new one)', body: CreateClassBody, querystring: NoQuery, response: { 201: JoinLinkResponse, ...errors } },
  }, async (request, reply) => {
    const b = request.body;
    const made = classes.create(currentCaller(request), {
      name: b.name,
      ...(b.exerciseIds ? { exerciseIds: b.exerciseIds } : {}),
      dueAt: epoch(b.dueAt) ?? null,
      environmentTtlMs: minutes(b.environmentTtlMinutes) ?? null,
    });
    return reply.code(201).send({ class: classView(made.class), joinUrl: made.joinUrl });
  });

  app.get('/classes/:classId', {
    ...keysMay('results:read'),
    schema: { tags, summary: 'A class and its roster', params: ClassParams, querystring: NoQuery, response: { 200: ClassResponse, ...errors } },
  }, async (request) => {
    const c = classes.get(currentCaller(request), request.params.classId);
    return { class: classView(c), learners: db.classes.members(c.id).map(memberView) };
  });

  app.patch('/classes/:classId', {
    ...keysMay('classes:write'),
    schema: { tags, summary: 'Change a class: name, exercises, due date, environment lifetime, or close/open joining', params: ClassParams, body: UpdateClassBody, querystring: NoQuery, response: { 200: ClassResponse, ...errors } },
  }, async (request) => {
    const b = request.body;
    const c = classes.update(currentCaller(request), request.params.classId, {
      ...(b.name !== undefined ? { name: b.name } : {}),
      ...(b.exerciseIds !== undefined ? { exerciseIds: b.exerciseIds } : {}),
      ...(b.dueAt !== undefined ? { dueAt: epoch(b.dueAt) } : {}),
      ...(b.environmentTtlMinutes !== undefined ? { environmentTtlMs: minutes(b.environmentTtlMinutes) } : {}),
      ...(b.joinOpen !== undefined ? { joinOpen: b.joinOpen } : {}),
    });
    return { class: classView(c), learners: db.classes.members(c.id).map(memberView) };
  });

  app.post('/classes/:classId/join-code', {
    ...keysMay('classes:write'),
    schema: { tags, summary: 'A new join link; the old one stops working at once', params: ClassParams, querystring: NoQuery, response: { 200: JoinLinkResponse, ...errors } },
  }, async (request) => {
    const r = classes.rotateJoinCode(currentCaller(request), request.params.classId);
    return { class: classView(r.class), joinUrl: r.joinUrl };
  });

  app.get('/classes/:classId/matrix', {
    ...keysMay('results:read'),
    schema: { tags, summary: 'Learners × exercises: best score, status, attempts, last activity, active now and stuck flags', params: ClassParams, querystring: NoQuery, response: { 200: MatrixResponse, ...errors } },
  }, async (request) => matrixResponse(classes, currentCaller(request), request.params.classId));

  app.get('/classes/:classId/exercises/:exerciseId/insight', {
    ...keysMay('results:read'),
    schema: { tags, summary: 'Per check: learners who failed it, who fail it now, and the commonest fail messages grouped', params: ClassExerciseParams, querystring: NoQuery, response: { 200: InsightResponse, ...errors } },
  }, async (request) => {
    const i = classes.insight(currentCaller(request), request.params.classId, request.params.exerciseId);
    return { exercise: i.exercise, learners: i.learners, checks: i.checks.map((c) => ({ ...c, messages: [...c.messages] })) };
  });

  app.get('/classes/:classId/learners/:userId/attempts', {
    ...keysMay('results:read'),
    schema: { tags, summary: 'A learner’s attempts at the class’s exercises, newest first, a page at a time', params: ClassLearnerParams, querystring: PageQuery, response: { 200: AttemptListResponse, ...errors } },
  }, async (request) => {
    const r = classes.learnerAttempts(currentCaller(request), request.params.classId, request.params.userId);
    // Newest first by id: attempts made while a client pages land before its cursor, never on a later page twice.
    const newestFirst = [...r.attempts].sort((a, b) => b.id - a.id);
    const page = pageOfSorted(newestFirst, request.query, (a) => a.id, 'desc');
    return { attempts: page.items.map((a) => db.attempts.select(a.id)).map(attemptView), nextCursor: page.nextCursor };
  });

  app.get('/classes/:classId/attempts/:attemptId', {
    ...keysMay('results:read'),
    schema: { tags, summary: 'A learner’s attempt with every check as the learner saw it', params: ClassAttemptParams, querystring: NoQuery, response: { 200: AttemptResponse, ...errors } },
  }, async (request) => {
    const r = classes.attempt(currentCaller(request), request.params.classId, request.params.attemptId);
    return { attempt: attemptView(r.attempt), checks: r.results.map((c) => checkResultView(catalog, r.attempt.exerciseId, c)) };
  });

  app.post('/classes/:classId/learners/:userId/environments/:exerciseId/:action', {
    ...keysMay('environments:write'),
    schema: { tags, summary: 'Extend, reset or delete a learner’s environment', params: EnvironmentActionParams, querystring: NoQuery, response: { 200: z.object({ environment: EnvironmentView }), ...errors } },
  }, async (request) => {
    const p = request.params;
    const env = await translated(() => classes.environmentAction(currentCaller(request), p.classId, p.userId, p.exerciseId, p.action));
    return { environment: environmentView(env) };
  });

  app.post('/classes/:classId/environments/:exerciseId/:action', {
    ...keysMay('environments:write'),
    schema: { tags, summary: 'The same action on every learner’s environment for one exercise; one failure does not stop the rest', params: BulkActionParams, querystring: NoQuery, response: { 200: BulkActionResponse, ...errors } },
  }, async (request) => {
    const p = request.params;
    return { results: await classes.bulkEnvironmentAction(currentCaller(request), p.classId, p.exerciseId, p.action) };
  });

  app.get('/classes/:classId/export', {
    ...keysMay('results:read'),
    schema: {
      tags,
      summary: 'Results as CSV (UTF-8, header row, formula-safe) or JSON: wide (a row per learner) or long (learner × attempt × check)',
      params: ClassParams,
      querystring: ExportQuery,
      response: { 200: ExportJson.or(z.string()), ...errors },
    },
  }, async (request, reply) => {
    const caller = currentCaller(request);
    const { format, shape } = request.query;
    const m = classes.matrix(caller, request.params.classId);
    const table = shape === 'wide' ? wideTable(m.exercises, m.rows) : longTable(db, catalog, m.class.id);
    const json = { header: [...table.header], rows: table.rows.map((r) => r.map((v) => v ?? null)) };
    if (format === 'json') return json;
    const file = `${m.class.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'class'}-${shape}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(toCsv(table.header, table.rows));
  });
};
