// A reset builds the namespace again with a new ServiceAccount: the kubeconfig a
// learner downloaded before it stops working. The reset response says so and carries
// the new one, and real kubectl agrees with both.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerErrorHandling } from '../../server/http/errorHandler.ts';
import { environmentRoutes } from '../../server/http/routes/environments.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let app: FastifyInstance;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(environmentRoutes, { prefix: '/api/v1', service: h.service(), authenticate: { bearer: (t) => h.db.tokens.authenticate(t)?.user, session: () => undefined } });
  await app.ready();
  token = h.db.tokens.createToken(h.learner('ada'), 'test', []).plaintext;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const url = (tail = '') => `/api/v1/exercises/clusterip-basics/environment${tail}`;
const headers = () => ({ authorization: `Bearer ${token}` });

function kubectlWith(kubeconfig: string, name: string) {
  const dir = mkdtempSync(path.join(h.dir, `${name}-`));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  return (...args: string[]) => execa('kubectl', ['--kubeconfig', file, '--cache-dir', path.join(dir, 'cache'), ...args], { reject: false });
}

it('reset: the response says the kubeconfig changed and hands out the new one; the old one is Unauthorized', async () => {
  expect((await app.inject({ method: 'PUT', url: url(), headers: headers() })).statusCode).toBe(201);
  const before = await app.inject({ method: 'GET', url: url('/kubeconfig'), headers: headers() });
  const oldKubectl = kubectlWith(before.body, 'old');
  expect((await oldKubectl('get', 'serviceaccounts', '-o', 'name')).exitCode).toBe(0);

  const reset = await app.inject({ method: 'POST', url: url('/reset'), headers: headers() });
  expect(reset.statusCode).toBe(200);
  const body = reset.json();
  expect(body).toMatchObject({ environment: { status: 'ready' }, kubeconfigChanged: true });
  expect(body.kubeconfig).toContain(`namespace: ${body.environment.namespace}`);

  const old = await oldKubectl('get', 'pods');
  expect(old.exitCode).toBe(1);
  expect(old.stderr).toContain('Unauthorized');
  const fresh = await kubectlWith(body.kubeconfig, 'new')('get', 'serviceaccounts', '-o', 'name');
  expect([fresh.exitCode, fresh.stdout]).toEqual([0, expect.stringContaining('serviceaccount/')]);
});
