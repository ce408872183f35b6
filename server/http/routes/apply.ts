// POST /api/v1/exercises/:id/environment/apply — the portal's "apply YAML" box. The
// objects are applied as the learner's ServiceAccount, so RBAC and quota judge them
// exactly as they would judge `kubectl apply` with the downloaded kubeconfig.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAX_MANIFEST_BYTES } from '../../environments/manifest-input.ts';
import type { EnvironmentService } from '../../environments/service.ts';
import { HttpError } from '../errors.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { currentLearner } from './environments-auth.ts';
import { translated } from './environments-errors.ts';
import { ApplyBody, ApplyResponse, applyResponse, ExerciseParams } from './environments-schemas.ts';

const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml', 'text/plain'];

export const applyRoutes: FastifyPluginAsyncZod<{ service: EnvironmentService }> = async (app, { service }) => {
  // Raw text for YAML bodies; the size check below gives the learner a clear 413.
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: MAX_MANIFEST_BYTES * 4 }, (_request, body, done) => done(null, body));

  app.post('/exercises/:id/environment/apply', {
    bodyLimit: MAX_MANIFEST_BYTES * 4,
    schema: {
      tags: ['environments'],
      summary: 'Apply YAML to your environment (like kubectl apply)',
      params: ExerciseParams,
      querystring: NoQuery,
      body: ApplyBody,
      response: { 200: ApplyResponse, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
    },
  }, async (request) =>
    translated(async () => {
      const learner = currentLearner(request);
      const text = typeof request.body === 'string' ? request.body : request.body.yaml;
      const size = Buffer.byteLength(text, 'utf8');
      if (size > MAX_MANIFEST_BYTES) {
        throw new HttpError(413, 'manifest_too_large', `the YAML is ${Math.ceil(size / 1024)} KiB; at most ${MAX_MANIFEST_BYTES / 1024} KiB per request`);
      }
      return applyResponse(await service.apply(learner.id, request.params.id, text));
    }),
  );
};
