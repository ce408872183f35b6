// The single place where anything thrown becomes an HTTP answer. Client mistakes get
// a 4xx naming what was wrong; everything else is a 500 whose details stay in the log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../db/errors.ts';
import { HttpError } from './errors.ts';
import type { ErrorResponse, FieldIssue } from './schemas/common.ts';

export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorResponse;
  /** true when the cause is ours, not the client's: log it in full. */
  readonly internal: boolean;
}

const answer = (status: number, code: string, message: string, details: unknown = null, internal = false): ErrorAnswer => ({
  status,
  body: { error: { code, message, details } },
  internal,
});

// Fastify's own client errors (bad JSON, wrong content type, body too large) carry a
// FST_ code and a 4xx status; only those are trusted to describe themselves.
const FastifyClientError = z.object({
  code: z.string().startsWith('FST_'),
  statusCode: z.number().int().min(400).max(499),
  message: z.string(),
});

// Our codes for Fastify's; a message here replaces Fastify's when that one would echo
// a long URL back.
const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type' },
  FST_ERR_BAD_URL: { code: 'invalid_url', message: 'the URL path is not valid percent-encoded UTF-8' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri_too_long', message: 'a path segment is too long' },
};

const ValidationItem = z.object({
  instancePath: z.string(),
  message: z.string().optional(),
  keyword: z.string(),
  params: z.object({ keys: z.array(z.string()).optional() }).loose(),
});
const ValidationContext = z.object({ validationContext: z.string().optional() });

function fieldIssues(error: { validation: unknown[] }, context: string): FieldIssue[] {
  return error.validation.flatMap((raw): FieldIssue[] => {
    const item = ValidationItem.safeParse(raw);
    if (!item.success) return [{ path: context, message: 'invalid' }];
    const base = [context, ...item.data.instancePath.split('/').filter((s) => s !== '')].join('.');
    if (item.data.keyword === 'unrecognized_keys' && item.data.params.keys !== undefined) {
      const noun = context === 'querystring' ? 'parameter' : 'field';
      return item.data.params.keys.map((key) => ({ path: `${base}.${key}`, message: `unknown ${noun}` }));
    }
    return [{ path: base, message: item.data.message ?? 'invalid' }];
  });
}

/** Maps anything thrown while handling a request to the answer the client gets. */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = ValidationContext.parse(error).validationContext ?? 'request';
    const issues = fieldIssues(error, context);
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return answer(400, 'invalid_request', `invalid request: ${summary}`, issues);
  }
  if (error instanceof ResponseSerializationError) {
    return answer(500, 'internal_error', 'internal error', null, true);
  }
  if (error instanceof HttpError) {
    return answer(error.status, error.code, error.message, error.details, error.status >= 500);
  }
  if (error instanceof NotFoundError) {
    return answer(404, 'not_found', error.message);
  }
  const fastify = FastifyClientError.safeParse(error);
  if (fastify.success) {
    const { code, statusCode, message } = fastify.data;
    const ours = FASTIFY_CODES[code];
    return answer(statusCode, ours?.code ?? 'bad_request', ours?.message ?? message);
  }
  return answer(500, 'internal_error', 'internal error', null, true);
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body, internal } = toErrorAnswer(error);
  if (internal) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.error.code, status }, 'request rejected');
  if (error instanceof HttpError) for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * For Fastify's `frameworkErrors` option: errors the router raises before any route
 * runs (a malformed %-escape, an over-long parameter) take the same path as the rest.
 */
export function frameworkErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  sendError(error, request, reply);
}

/**
 * `htmlNotFound`, when given, answers browsers (Accept: text/html) outside /api with a
 * page instead of the JSON error shape.
 */
export function registerErrorHandling(app: FastifyInstance, htmlNotFound?: (request: FastifyRequest, reply: FastifyReply) => string): void {
  app.setErrorHandler((error: unknown, request, reply) => sendError(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    if (htmlNotFound && !request.url.startsWith('/api/') && /\btext\/html\b/.test(String(request.headers.accept ?? ''))) {
      return reply.code(404).type('text/html; charset=utf-8').send(htmlNotFound(request, reply));
    }
    // The path only: a query string may carry a token.
    const path = request.url.split('?')[0] ?? '';
    const body: ErrorResponse = {
      error: { code: 'not_found', message: `no route ${request.method} ${path}`, details: null },
    };
    return reply.code(404).type('application/json; charset=utf-8').send(body);
  });
}
