// The single place where anything thrown becomes an HTTP answer. Client mistakes get
// a 4xx naming what was wrong; everything else is a 500 whose details stay in the log.
import type { FastifyInstance } from 'fastify';
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

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
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
    return answer(statusCode, FASTIFY_CODES[code] ?? 'bad_request', message);
  }
  return answer(500, 'internal_error', 'internal error', null, true);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const { status, body, internal } = toErrorAnswer(error);
    if (internal) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request rejected');
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    // The path only: a query string may carry a token.
    const path = request.url.split('?')[0] ?? '';
    const body: ErrorResponse = {
      error: { code: 'not_found', message: `no route ${request.method} ${path}`, details: null },
    };
    return reply.code(404).type('application/json; charset=utf-8').send(body);
  });
}
