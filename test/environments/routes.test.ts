// The HTTP surface: status codes, the error shape, and that a learner only ever sees
// their own environment. Bad input of every kind gets a 4xx with a message.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../server/http/errorHandler.ts';
import { environmentRoutes } from '../../server/http/routes/environments.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let app: FastifyInstance;
let alice: string;
let bob: string;

// Mirrors buildApp's layers (compilers, error handler, /api/v1 prefix) for this plugin.
async function buildEnvironmentApp(): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(fastify);
  const service = h.service({ maxEnvironmentsPerLearner: 2 });
  await fastify.register(environmentRoutes, { prefix: '/api/v1', service, authenticate: { bearer: (token) => h.db.tokens.authenticate(token)?.user, session: () => undefined } });
  await fastify.ready();
  return fastify;
}

beforeAll(async () => {
  h = await startHarness();
  app = await buildEnvironmentApp();
  alice = h.db.tokens.createToken(h.learner('alice'), 'test', []).plaintext;
  bob = h.db.tokens.createToken(h.learner('bob'), 'test', []).plaintext;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const url = (id = 'clusterip-basics', tail = '') => `/api/v1/exercises/${id}/environment${tail}`;

function expectError(res: { statusCode: number; json(): unknown }, status: number, code?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { error: { code: string; message: string } };
  expect(body.error.message.length).toBeGreaterThan(5);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

describe('environment routes', () => {
  it('PUT creates (201) then returns (200) the environment; GET and kubeconfig follow', async () => {
    const created = await app.inject({ method: 'PUT', url: url(), headers: auth(alice) });
    expect(created.statusCode).toBe(201);
    const env = created.json().environment;
    expect(env).toMatchObject({ exerciseId: 'clusterip-basics', status: 'ready', error: null });
    expect(env.namespace).toMatch(/^kl-clusterip-basics-[0-9a-f]{16}$/);

    const again = await app.inject({ method: 'PUT', url: url(), headers: auth(alice) });
    expect(again.statusCode).toBe(200);
    expect(again.json().environment.namespace).toBe(env.namespace);

    const got = await app.inject({ method: 'GET', url: url(), headers: auth(alice) });
    expect(got.json()).toEqual(again.json());

    const kc = await app.inject({ method: 'GET', url: url('clusterip-basics', '/kubeconfig'), headers: auth(alice) });
    expect(kc.statusCode).toBe(200);
    expect(kc.headers['content-type']).toMatch(/^application\/yaml/);
    expect(kc.headers['content-disposition']).toBe('attachment; filename="kubelab-clusterip-basics.kubeconfig"');
    expect(kc.headers['cache-control']).toBe('no-store');
    expect(kc.body).toContain(`namespace: ${env.namespace}`);
  });

  it('a learner never sees another learner environment', async () => {
    expectError(await app.inject({ method: 'GET', url: url(), headers: auth(bob) }), 404, 'environment_not_found');
    expectError(await app.inject({ method: 'GET', url: url('clusterip-basics', '/kubeconfig'), headers: auth(bob) }), 404);
    expectError(await app.inject({ method: 'POST', url: url('clusterip-basics', '/reset'), headers: auth(bob) }), 404);
    expectError(await app.inject({ method: 'DELETE', url: url(), headers: auth(bob) }), 404);
    const mine = await app.inject({ method: 'PUT', url: url(), headers: auth(bob) });
    const alices = await app.inject({ method: 'GET', url: url(), headers: auth(alice) });
    expect(mine.json().environment.namespace).not.toBe(alices.json().environment.namespace);
  });

  it('apply takes YAML or JSON {yaml} and reports per object', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n';
    const asYaml = await app.inject({ method: 'POST', url: url('clusterip-basics', '/apply'), headers: { ...auth(alice), 'content-type': 'text/yaml' }, payload: yaml });
    expect(asYaml.statusCode).toBe(200);
    expect(asYaml.json()).toMatchObject({ results: [{ kind: 'ConfigMap', name: 'settings', action: 'created' }], summary: { created: 1, failed: 0 } });
    const asJson = await app.inject({ method: 'POST', url: url('clusterip-basics', '/apply'), headers: auth(alice), payload: { yaml } });
    expect(asJson.json().results[0].action).toBe('unchanged');
  });

  it.each([
    ['no token', 'GET', url(), {}, undefined, 401],
    ['a malformed Authorization header', 'GET', url(), { authorization: 'Token abc' }, undefined, 401],
    ['an unknown token', 'GET', url(), { authorization: 'Bearer klb_nope' }, undefined, 401],
    ['an exercise id that is not a DNS label', 'PUT', url('Bad_ID'), 'alice', undefined, 400],
    ['an exercise id too long', 'PUT', url('a'.repeat(64)), 'alice', undefined, 400],
    ['an unknown exercise', 'PUT', url('no-such-exercise'), 'alice', undefined, 404],
    ['an unknown query parameter', 'GET', `${url()}?namespace=kube-system`, 'alice', undefined, 400],
    ['apply: not YAML', 'POST', url('clusterip-basics', '/apply'), 'alice', 'kind: [oops', 400],
    ['apply: a document without a name', 'POST', url('clusterip-basics', '/apply'), 'alice', 'apiVersion: v1\nkind: Pod\nmetadata: {}', 400],
    ['apply: another namespace', 'POST', url('clusterip-basics', '/apply'), 'alice', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}', 400],
    ['apply: a cluster-scoped kind', 'POST', url('clusterip-basics', '/apply'), 'alice', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}', 422],
    ['apply: an unknown kind', 'POST', url('clusterip-basics', '/apply'), 'alice', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}', 422],
    ['apply: more than 256 KiB', 'POST', url('clusterip-basics', '/apply'), 'alice', `# ${'x'.repeat(300 * 1024)}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}`, 413],
    ['apply: empty', 'POST', url('clusterip-basics', '/apply'), 'alice', '', 400],
    ['apply: before the environment exists', 'POST', url('target-port', '/apply'), 'alice', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}', 404],
    ['reset: no environment', 'POST', url('target-port', '/reset'), 'alice', undefined, 404],
    ['extend: no environment', 'POST', url('target-port', '/extend'), 'alice', undefined, 404],
    ['kubeconfig: no environment', 'GET', url('target-port', '/kubeconfig'), 'alice', undefined, 404],
  ] as const)('%s → %i', async (_name, method, path, who, yaml, status) => {
    const headers = who === 'alice' ? { ...auth(alice), ...(yaml !== undefined ? { 'content-type': 'text/yaml' } : {}) } : who;
    const res = await app.inject({ method, url: path, headers, ...(yaml !== undefined ? { payload: yaml } : {}) });
    expectError(res, status);
  });

  const everyRoute = [
    ['PUT', ''],
    ['GET', ''],
    ['GET', '/kubeconfig'],
    ['POST', '/reset'],
    ['POST', '/extend'],
    ['DELETE', ''],
    ['POST', '/apply'],
  ] as const;

  it.each(everyRoute)('%s environment%s: 401 without a token, 400 for a bad id, 404 for an unknown exercise', async (method, tail) => {
    expectError(await app.inject({ method, url: url('clusterip-basics', tail) }), 401, 'unauthorized');
    const payload = method === 'POST' && tail === '/apply' ? { payload: { yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}' } } : {};
    expectError(await app.inject({ method, url: url('..%2F..%2Fnodes', tail), headers: auth(alice), ...payload }), 400, 'invalid_request');
    expectError(await app.inject({ method, url: url('unknown-exercise', tail), headers: auth(alice), ...payload }), 404, 'exercise_not_found');
  });

  it('apply with a JSON body of the wrong shape is a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: url('clusterip-basics', '/apply'), headers: auth(alice), payload: { manifest: 'x' } });
    expectError(res, 400, 'invalid_request');
  });

  it('the per-learner limit answers 429 with its own code', async () => {
    await app.inject({ method: 'PUT', url: url('target-port'), headers: auth(alice) });
    const res = await app.inject({ method: 'PUT', url: url('readiness-endpoints'), headers: auth(alice) });
    expectError(res, 429, 'learner_environment_limit');
  });

  it('extend returns the environment and a kubeconfig; delete marks it deleted', async () => {
    const ext = await app.inject({ method: 'POST', url: url('clusterip-basics', '/extend'), headers: auth(alice) });
    expect(ext.statusCode).toBe(200);
    expect(ext.json().kubeconfig).toContain('current-context:');
    const del = await app.inject({ method: 'DELETE', url: url('clusterip-basics'), headers: auth(alice) });
    expect(del.statusCode).toBe(200);
    expect(del.json().environment.status).toBe('deleted');
    expectError(await app.inject({ method: 'GET', url: url(), headers: auth(alice) }), 404);
  });
});
