// /api/v1/webhooks: endpoints that receive kubelab's events, signed the Standard
// Webhooks way. Instructors and admins only (a learner gets 403); see service.ts for
// who manages which endpoint.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentCaller, requireStaff, type Authenticate } from '../http/routes/environments-auth.ts';
import { ErrorResponse, NoQuery } from '../http/schemas/common.ts';
import { SIGNED_IN } from '../http/schemas/security.ts';
import {
  CreateWebhookBody,
  DeliveryListQuery,
  DeliveryListResponse,
  DeliveryParams,
  DeliveryResponse,
  deliveryView,
  RotateSecretBody,
  UpdateWebhookBody,
  WebhookListResponse,
  WebhookParams,
  WebhookResponse,
  WebhookSecretResponse,
  webhookView,
} from './schemas.ts';
import type { Webhooks } from './service.ts';

export interface WebhookRoutesOptions {
  readonly webhooks: Webhooks;
  readonly authenticate: Authenticate;
  readonly now: () => number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse } as const;
const tags = ['webhooks'];
const security = SIGNED_IN;

export const webhookRoutes: FastifyPluginAsyncZod<WebhookRoutesOptions> = async (app, { webhooks, authenticate, now }) => {
  requireStaff(app, authenticate);

  app.post('/webhooks', {
    schema: {
      tags, security,
      summary: 'Register an endpoint for a class (or server-wide, admins); the answer holds its signing secret, shown once',
      body: CreateWebhookBody, querystring: NoQuery, response: { 201: WebhookSecretResponse, ...errors },
    },
  }, async (request, reply) => {
    const b = request.body;
    const made = await webhooks.create(currentCaller(request), {
      url: b.url,
      ...(b.description !== undefined ? { description: b.description } : {}),
      classId: b.classId ?? null,
      eventTypes: b.events,
    });
    return reply.code(201).send({ webhook: webhookView(made.endpoint, now()), secret: made.secret });
  });

  app.get('/webhooks', {
    schema: { tags, security, summary: 'The endpoints you manage (an admin sees all)', querystring: NoQuery, response: { 200: WebhookListResponse, ...errors } },
  }, async (request) => ({ webhooks: webhooks.list(currentCaller(request)).map((e) => webhookView(e, now())) }));

  app.get('/webhooks/:webhookId', {
    schema: { tags, security, summary: 'One endpoint', params: WebhookParams, querystring: NoQuery, response: { 200: WebhookResponse, ...errors } },
  }, async (request) => ({ webhook: webhookView(webhooks.get(currentCaller(request), request.params.webhookId), now()) }));

  app.patch('/webhooks/:webhookId', {
    schema: {
      tags, security,
      summary: 'Change an endpoint’s URL, description or events, or switch it off and on (on again after a 410 resumes its outbox)',
      params: WebhookParams, body: UpdateWebhookBody, querystring: NoQuery, response: { 200: WebhookResponse, ...errors },
    },
  }, async (request) => {
    const b = request.body;
    const updated = await webhooks.update(currentCaller(request), request.params.webhookId, {
      ...(b.url !== undefined ? { url: b.url } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.events !== undefined ? { eventTypes: b.events } : {}),
      ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
    });
    return { webhook: webhookView(updated, now()) };
  });

  app.delete('/webhooks/:webhookId', {
    schema: { tags, security, summary: 'Delete an endpoint and its delivery log', params: WebhookParams, querystring: NoQuery, response: { 204: z.null().describe('deleted'), ...errors } },
  }, async (request, reply) => {
    webhooks.remove(currentCaller(request), request.params.webhookId);
    return reply.code(204).send(null);
  });

  app.post('/webhooks/:webhookId/rotate-secret', {
    schema: {
      tags, security,
      summary: 'A new signing secret, shown once; the old one keeps signing beside it for a while (default a day)',
      params: WebhookParams, body: RotateSecretBody, querystring: NoQuery, response: { 200: WebhookSecretResponse, ...errors },
    },
  }, async (request) => {
    const minutes = request.body?.previousSecretValidMinutes;
    const rotated = webhooks.rotateSecret(currentCaller(request), request.params.webhookId, ...(minutes === undefined ? [] : [minutes * 60_000]));
    return { webhook: webhookView(rotated.endpoint, now()), secret: rotated.secret };
  });

  app.get('/webhooks/:webhookId/deliveries', {
    schema: {
      tags, security, summary: 'The endpoint’s deliveries, newest first, each with its attempt log',
      params: WebhookParams, querystring: DeliveryListQuery, response: { 200: DeliveryListResponse, ...errors },
    },
  }, async (request) => {
    const { cursor, limit } = request.query;
    const page = webhooks.deliveries(currentCaller(request), request.params.webhookId, {
      ...(cursor === undefined ? {} : { before: Number(cursor) }),
      limit: limit + 1,
    });
    const shown = page.slice(0, limit);
    return {
      deliveries: shown.map((p) => deliveryView(p.delivery, p.attempts)),
      nextCursor: page.length > limit ? String(shown.at(-1)!.delivery.id) : null,
    };
  });

  app.post('/webhooks/:webhookId/deliveries/:deliveryId/redeliver', {
    schema: {
      tags, security, summary: 'Send a delivery again now (same webhook-id and body, fresh timestamp and signature)',
      params: DeliveryParams, querystring: NoQuery, response: { 202: DeliveryResponse, ...errors },
    },
  }, async (request, reply) => {
    const { webhookId, deliveryId } = request.params;
    const queued = webhooks.redeliver(currentCaller(request), webhookId, deliveryId);
    return reply.code(202).send({ delivery: deliveryView(queued, webhooks.store.attempts(queued.id)) });
  });
};
