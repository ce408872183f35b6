import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../db/errors.ts';
import { toErrorAnswer } from './errorHandler.ts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HttpError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
} from './errors.ts';

describe('toErrorAnswer', () => {
  it.each([
    [new BadRequestError('no', { field: 'x' }), 400, 'bad_request', 'no', { field: 'x' }, false],
    [new UnauthorizedError(), 401, 'unauthorized', 'a valid API token is required', null, false],
    [new ForbiddenError(), 403, 'forbidden', 'not allowed', null, false],
    [new ConflictError('taken'), 409, 'conflict', 'taken', null, false],
    [new TooManyRequestsError('slow down'), 429, 'too_many_requests', 'slow down', null, false],
    [new ServiceUnavailableError('not_ready', 'later'), 503, 'not_ready', 'later', null, true],
    [new HttpError(418, 'teapot', 'short and stout'), 418, 'teapot', 'short and stout', null, false],
    [new NotFoundError('exercise', 'x'), 404, 'not_found', 'exercise "x" not found', null, false],
  ])('%s → %i %s', (error, status, code, message, details, internal) => {
    expect(toErrorAnswer(error)).toEqual({ status, body: { error: { code, message, details } }, internal });
  });

  it.each([
    new Error('SQLITE_CORRUPT: /var/lib/kubelab/kubelab.db'),
    new TypeError("Cannot read properties of undefined (reading 'x')"),
    'a thrown string',
    null,
    undefined,
    { statusCode: 400, message: 'looks like a client error but is not from Fastify' },
    { code: 'FST_ERR_SOMETHING', statusCode: 500, message: 'a Fastify 5xx' },
  ])('hides %s behind a generic 500', (error) => {
    expect(toErrorAnswer(error)).toEqual({
      status: 500,
      body: { error: { code: 'internal_error', message: 'internal error', details: null } },
      internal: true,
    });
  });

  it('keeps Fastify client errors as 4xx with our codes', () => {
    const tooLarge = { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'Request body is too large' };
    expect(toErrorAnswer(tooLarge)).toEqual({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'Request body is too large', details: null } },
      internal: false,
    });
  });
});
