// /api/v1/api-keys: service keys for integrations. Instructors and admins manage them
// with their own sign-in or user token; a key cannot manage keys (no route here opts in
// to keys), so a leaked key cannot mint more. The rules live in server/api-keys.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Actor } from '../../accounts/accounts.ts';
import { ApiKeys } from '../../api-keys/service.ts';
import type { Db } from '../../db/database.ts';
import { pageFromProbe } from '../pagination/cursor.ts';
import { currentCaller, requireStaff, type Authenticate } from '../routes/environments-auth.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { SIGNED_IN } from '../schemas/security.ts';
import {
  ApiKeyListQuery,
  ApiKeyListResponse,
  ApiKeyParams,
  ApiKeyResponse,
  apiKeyView,
  CreateApiKeyBody,
  CreatedApiKeyResponse,
} from './schemas.ts';

export interface ApiKeyRoutesOptions {
  readonly db: Db;
  readonly authenticate: Authenticate;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse } as const;
const tags = ['api-keys'];
const security = SIGNED_IN;

export const apiKeyRoutes: FastifyPluginAsyncZod<ApiKeyRoutesOptions> = async (app, { db, authenticate }) => {
  requireStaff(app, authenticate);
  const keys = new ApiKeys(db);
  const actor = (request: FastifyRequest): Actor => ({ user: currentCaller(request), via: 'api' });

  app.post('/api-keys', {
    schema: {
      tags, security,
      summary: 'Make a service API key (klk_…) for an integration: admins for the server or any class, instructors for a class they teach. The secret is in this answer only',
      querystring: NoQuery,
      body: CreateApiKeyBody,
      response: { 201: CreatedApiKeyResponse, ...errors },
    },
  }, async (request, reply) => {
    const made = keys.create(actor(request), request.body);
    return reply.code(201).send({ apiKey: apiKeyView(made.key), secret: made.plaintext });
  });

  app.get('/api-keys', {
    schema: {
      tags, security,
      summary: 'Service API keys you manage, by id, a page at a time (never their secrets)',
      querystring: ApiKeyListQuery,
      response: { 200: ApiKeyListResponse, ...errors },
    },
  }, async (request) => {
    const { cursor, limit } = request.query;
    const page = pageFromProbe(keys.list(actor(request), { afterId: cursor ?? 0, limit: limit + 1 }), limit, (k) => k.id);
    return { apiKeys: page.items.map(apiKeyView), nextCursor: page.nextCursor };
  });

  app.get('/api-keys/:keyId', {
    schema: { tags, security, summary: 'One service API key', params: ApiKeyParams, querystring: NoQuery, response: { 200: ApiKeyResponse, ...errors } },
  }, async (request) => ({ apiKey: apiKeyView(keys.get(actor(request), request.params.keyId)) }));

  app.post('/api-keys/:keyId/revoke', {
    schema: {
      tags, security,
      summary: 'Revoke a service API key: it stops working at once. Revoking twice keeps the first time',
      params: ApiKeyParams,
      querystring: NoQuery,
      response: { 200: ApiKeyResponse, ...errors },
    },
  }, async (request) => ({ apiKey: apiKeyView(keys.revoke(actor(request), request.params.keyId)) }));
};
