// /api/v1/exercises/:id/environment — a learner's own environment for one exercise.
// The learner is always the authenticated caller: no route takes a user or namespace
// from the request, so nobody can reach another learner's environment.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import type { EnvironmentService } from '../../environments/service.ts';
import { applyRoutes } from './apply.ts';
import { currentLearner, requireLearner, type Authenticate } from './environments-auth.ts';
import { translated } from './environments-errors.ts';
import { EnvironmentResponse, environmentView, ExerciseParams, ExtendResponse, ResetResponse } from './environments-schemas.ts';

export interface EnvironmentRoutesOptions {
  service: EnvironmentService;
  authenticate: Authenticate;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse, 502: ErrorResponse, 503: ErrorResponse, 504: ErrorResponse } as const;
const tags = ['environments'];

export const environmentRoutes: FastifyPluginAsyncZod<EnvironmentRoutesOptions> = async (app, { service, authenticate }) => {
  // Relative to the /api/v1 prefix buildApp registers API plugins under.
  const base = '/exercises/:id/environment';
  requireLearner(app, authenticate);

  app.put(base, {
    schema: { tags, summary: 'Create your environment for an exercise, or get it if it exists', params: ExerciseParams, querystring: NoQuery, response: { 200: EnvironmentResponse, 201: EnvironmentResponse, ...errors } },
  }, async (request, reply) =>
    translated(async () => {
      const learner = currentLearner(request);
      const { environment, created } = await service.ensure(learner.id, request.params.id);
      return reply.code(created ? 201 : 200).send({ environment: environmentView(environment) });
    }),
  );

  app.get(base, {
    schema: { tags, summary: 'Your environment for an exercise', params: ExerciseParams, querystring: NoQuery, response: { 200: EnvironmentResponse, ...errors } },
  }, async (request) =>
    translated(() => {
      const learner = currentLearner(request);
      return { environment: environmentView(service.get(learner.id, request.params.id)) };
    }),
  );

  app.get(`${base}/kubeconfig`, {
    schema: { tags, summary: 'Download a kubeconfig for your environment (YAML)', params: ExerciseParams, querystring: NoQuery, response: { 200: z.string().describe('kubeconfig YAML (application/yaml)'), ...errors } },
  }, async (request, reply) =>
    translated(async () => {
      const learner = currentLearner(request);
      const { kubeconfig } = await service.kubeconfig(learner.id, request.params.id);
      return reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="kubelab-${request.params.id}.kubeconfig"`)
        // It holds a bearer token: keep it out of shared caches.
        .header('cache-control', 'no-store')
        .send(kubeconfig);
    }),
  );

  app.post(`${base}/reset`, {
    schema: {
      tags,
      summary: 'Delete everything in your environment and start the exercise over; the old kubeconfig stops working, the new one is returned',
      params: ExerciseParams,
      querystring: NoQuery,
      response: { 200: ResetResponse, ...errors },
    },
  }, async (request) =>
    translated(async () => {
      const learner = currentLearner(request);
      const environment = await service.reset(learner.id, request.params.id);
      const kubeconfig = environment.status === 'ready' ? (await service.kubeconfig(learner.id, request.params.id)).kubeconfig : null;
      return { environment: environmentView(environment), kubeconfigChanged: true as const, kubeconfig };
    }),
  );

  app.post(`${base}/extend`, {
    schema: { tags, summary: 'Push your environment’s expiry a full lifetime from now; returns a fresh kubeconfig', params: ExerciseParams, querystring: NoQuery, response: { 200: ExtendResponse, ...errors } },
  }, async (request, reply) =>
    translated(async () => {
      const learner = currentLearner(request);
      const { environment, kubeconfig } = await service.extend(learner.id, request.params.id);
      return reply.header('cache-control', 'no-store').send({ environment: environmentView(environment), kubeconfig });
    }),
  );

  app.delete(base, {
    schema: { tags, summary: 'Delete your environment', params: ExerciseParams, querystring: NoQuery, response: { 200: EnvironmentResponse, ...errors } },
  }, async (request) =>
    translated(async () => {
      const learner = currentLearner(request);
      return { environment: environmentView(await service.remove(learner.id, request.params.id)) };
    }),
  );

  await app.register(applyRoutes, { service });
};
