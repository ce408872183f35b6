// The grading API end to end on the embedded cluster: a learner's environment, the
// reference solution applied through the environment service, "Check my work", the
// live stream, the stored attempt, history, and isolation between learners.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradingEngine } from '../../graders/engine.ts';
import { EnvironmentNotReadyError } from '../../server/environments/errors.ts';
import type { EnvironmentService } from '../../server/environments/service.ts';
import { GradingService, type Grader } from '../../server/grading/service.ts';
import { registerErrorHandling } from '../../server/http/errorHandler.ts';
import { gradingRoutes } from '../../server/http/routes/grading.ts';
import { startHarness, type Harness } from '../environments/harness.ts';
import { SIM_TIMING } from '../graders/harness.ts';

let h: Harness;
let app: FastifyInstance;
let environments: EnvironmentService;
let grading: GradingService;
let alice: { id: number; token: string };
let bob: { id: number; token: string };
const storedWhenPublished: boolean[] = [];
// Holds grades at the door until a test opens it, so "a second click while grading" is deterministic.
let gate: Promise<void> = Promise.resolve();

function learner(name: string) {
  const id = h.learner(name);
  return { id, token: h.db.tokens.createToken(id, 'test', []).plaintext };
}

beforeAll(async () => {
  h = await startHarness();
  environments = h.service();
  const engine = new GradingEngine({ client: h.admin, kubeconfig: h.sim.kubeconfig, timing: SIM_TIMING });
  const gated: Grader = { grade: async (request) => { await gate; return engine.grade(request); } };
  grading = new GradingService({
    db: h.db,
    catalog: h.catalog,
    grader: gated,
    concurrency: 2,
    environment: (userId, exerciseId) => {
      const env = environments.get(userId, exerciseId);
      if (env.status !== 'ready') throw new EnvironmentNotReadyError(env.status, env.error);
      return env;
    },
  });
  // Mirrors buildApp's layers (compilers, error handler, /api/v1 prefix) for this plugin.
  app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(gradingRoutes, { prefix: '/api/v1', grading, catalog: h.catalog, authenticate: { bearer: (token) => h.db.tokens.authenticate(token)?.user, session: () => undefined } });
  await app.ready();
  alice = learner('alice');
  bob = learner('bob');
  const exercise = h.catalog.byId('clusterip-basics')!;
  await environments.ensure(alice.id, 'clusterip-basics');
  await environments.apply(alice.id, 'clusterip-basics', exercise.solution.map((m) => stringify(m.object)).join('---\n'));
  await environments.ensure(alice.id, 'multi-port');
});
afterAll(async () => {
  await grading?.drain();
  await app?.close();
  await h?.close();
});

const auth = (l: { token: string }) => ({ authorization: `Bearer ${l.token}` });

function parseSse(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Record<string, unknown>;
      return { event, data };
    });
}

describe('grading routes', () => {
  let attemptId: number;

  it('POST starts an attempt (202); a second click while it grades returns the same attempt (200)', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const first = await app.inject({ method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts', headers: auth(alice) });
    expect(first.statusCode).toBe(202);
    const attempt = first.json().attempt;
    expect(attempt).toMatchObject({ exerciseId: 'clusterip-basics', maxScore: 100, result: null });
    expect(['queued', 'running']).toContain(attempt.status);
    attemptId = attempt.id;
    const second = await app.inject({ method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts', headers: auth(alice) });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ started: false, attempt: { id: attemptId, exerciseId: 'clusterip-basics' } });
    expect(first.json().started).toBe(true);
    // Another exercise while the first one grades: its own attempt, not the one in flight.
    const other = await app.inject({ method: 'POST', url: '/api/v1/exercises/multi-port/attempts', headers: auth(alice) });
    expect(other.statusCode).toBe(202);
    expect(other.json()).toMatchObject({ started: true, attempt: { exerciseId: 'multi-port' } });
    expect(other.json().attempt.id).not.toBe(attemptId);
    const unsubscribe = grading.events.subscribe(attemptId, (event) => {
      if (event.type === 'check') storedWhenPublished.push(h.db.checkResults.listForAttempt(attemptId).some((r) => r.checkId === event.result.checkId));
    });
    open();
    // The stream follows the grade live and ends after the attempt event.
    const stream = await app.inject({ method: 'GET', url: `/api/v1/attempts/${attemptId}/events`, headers: auth(alice) });
    unsubscribe();
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(stream.body);
    expect(events.filter((e) => e.event === 'check')).toHaveLength(7);
    expect(events.at(-1)).toMatchObject({ event: 'attempt', data: { id: attemptId, status: 'finished', result: 'passed', score: 100 } });
    expect(storedWhenPublished.length).toBe(7);
    expect(storedWhenPublished.every(Boolean)).toBe(true);
  });

  it('GET the attempt: finished, every check with its title and message', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/attempts/${attemptId}`, headers: auth(alice) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.attempt).toMatchObject({ status: 'finished', result: 'passed', score: 100, maxScore: 100 });
    expect(body.checks).toHaveLength(7);
    expect(body.checks.find((c: { checkId: string }) => c.checkId === 'selector')).toMatchObject({
      status: 'pass',
      title: 'The Service selects exactly the backend Pods',
      hint: null,
    });
  });

  it('the events of a finished attempt replay its results, then the attempt', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/attempts/${attemptId}/events`, headers: auth(alice) });
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual([...Array(7).fill('check'), 'attempt']);
  });

  it('history lists the learner’s attempts, newest first', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: auth(alice) });
    expect(res.statusCode).toBe(200);
    expect(res.json().attempts.map((a: { id: number }) => a.id)).toEqual([attemptId]);
    const empty = await app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: auth(bob) });
    expect(empty.json().attempts).toEqual([]);
  });

  it.each([
    ['another learner’s attempt', () => `/api/v1/attempts/${attemptId}`],
    ['another learner’s stream', () => `/api/v1/attempts/${attemptId}/events`],
    ['an attempt that does not exist', () => '/api/v1/attempts/999999'],
  ])('404 for %s', async (_name, url) => {
    const res = await app.inject({ method: 'GET', url: url(), headers: auth(bob) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('attempt_not_found');
  });

  it.each([
    ['no environment yet', 'POST', '/api/v1/exercises/clusterip-basics/attempts', 404, 'environment_not_found'],
    ['unknown exercise', 'POST', '/api/v1/exercises/no-such-exercise/attempts', 404, 'exercise_not_found'],
    ['a bad attempt id', 'GET', '/api/v1/attempts/abc', 400, undefined],
  ] as const)('%s', async (_name, method, url, status, code) => {
    const res = await app.inject({ method, url, headers: auth(bob) });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message.length).toBeGreaterThan(3);
    if (code) expect(res.json().error.code).toBe(code);
  });

  it('a failing check carries the cause it diagnosed, which chose its hint; others have cause null', async () => {
    await grading.drain();
    const history = await app.inject({ method: 'GET', url: '/api/v1/exercises/multi-port/attempts', headers: auth(alice) });
    const [attempt] = history.json().attempts as { id: number }[];
    const res = await app.inject({ method: 'GET', url: `/api/v1/attempts/${attempt!.id}`, headers: auth(alice) });
    const checks = res.json().checks as { checkId: string; status: string; cause: string | null; hint: string | null }[];
    // Nothing applied: the Service is missing, and the check says so as its cause.
    const service = checks.find((c) => c.checkId === 'service-ports');
    expect(service).toMatchObject({ status: 'fail', cause: 'no-service' });
    const declared = h.catalog.byId('multi-port')!.checks.find((c) => c.id === 'service-ports')!;
    expect(service?.hint).toBe(declared.hints?.['no-service'] ?? declared.hint);
    expect(checks.filter((c) => c.status !== 'fail').every((c) => c.cause === null)).toBe(true);
    expect(checks.every((c) => 'cause' in c)).toBe(true);
    // The live stream's check events carry it too.
    const stream = parseSse((await app.inject({ method: 'GET', url: `/api/v1/attempts/${attempt!.id}/events`, headers: auth(alice) })).body);
    expect(stream.find((e) => e.event === 'check' && e.data['checkId'] === 'service-ports')?.data).toMatchObject({ cause: 'no-service' });
  });

  it('401 without a token', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts' });
    expect(res.statusCode).toBe(401);
  });
});
