// `Idempotency-Key` on POSTs: a client that retries a POST (a timeout, a dropped
// connection) with the same key gets the first answer again instead of a second class,
// a second grade... Keys belong to the caller's credential, so two integrations never
// see each other's answers. Same key with another request (method, path or body) is a
// 422: the client has a bug, and guessing which request it meant would hide it. An
// answer is kept for 24 hours (server/db/idempotency.ts); 5xx answers are not kept, so
// a retry after a server failure does the work again. Answers are sealed with the
// caller's own secret before they are stored (sealed.ts).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IdempotencyRepo } from '../../db/idempotency.ts';
import { ConflictError, HttpError } from '../errors.ts';
import { callerIfAny, sessionSecretOf } from '../routes/environments-auth.ts';
import { seal, unseal } from './sealed.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'expected 1 to 255 visible ASCII characters (a UUID will do)');

interface Claim {
  readonly caller: string;
  readonly key: string;
  readonly secret: string;
}

const BEARER = /^Bearer (\S+)$/;

/** The secret the caller authenticated with: what their stored answers are sealed under. */
function callerSecretOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return BEARER.exec(header)?.[1];
  return sessionSecretOf(request);
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`, 'utf8')
    .digest('hex');
}

function invalidHeader(message: string): HttpError {
  return new HttpError(400, 'invalid_request', `invalid request: headers.${IDEMPOTENCY_HEADER}: ${message}`, [
    { path: `headers.${IDEMPOTENCY_HEADER}`, message },
  ]);
}

/** Adds the hooks to `app` (and so to every route registered in it afterwards). */
export function honourIdempotencyKeys(app: FastifyInstance, repo: IdempotencyRepo): void {
  const claims = new WeakMap<FastifyRequest, Claim>();

  // preHandler: after authentication (onRequest) and validation, so only well-formed
  // requests from a known caller are remembered.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    if (typeof raw !== 'string') throw invalidHeader('send the header once');
    const parsed = IdempotencyKey.safeParse(raw);
    if (!parsed.success) throw invalidHeader(parsed.error.issues[0]?.message ?? 'invalid');
    const who = callerIfAny(request);
    // A POST open to anyone has no caller to keep keys apart: the header is ignored there.
    const secret = callerSecretOf(request);
    if (who === undefined || secret === undefined) return;
    const caller = who.credential ?? `user:${who.id}`;
    const hash = requestHash(request);
    const result = repo.claim(caller, parsed.data, hash);
    if (result.claimed) {
      claims.set(request, { caller, key: parsed.data, secret });
      return;
    }
    const { stored } = result;
    if (stored.requestHash !== hash) {
      throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different request (method, path or body): use a new key for a new request', {
        field: `headers.${IDEMPOTENCY_HEADER}`,
      });
    }
    if (stored.state === 'running') {
      throw new ConflictError('the first request with this Idempotency-Key is still running: retry in a moment');
    }
    const body = unseal(secret, parsed.data, stored.body);
    // Another secret of the same caller (a second session) cannot open it: refuse rather than redo the work.
    if (body === undefined) throw new ConflictError('this Idempotency-Key was used by another of your sign-ins: use a new key');
    reply.code(stored.status).header(REPLAYED_HEADER, 'true');
    if (stored.contentType !== null) reply.type(stored.contentType);
    return reply.send(body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (claim === undefined) return payload;
    claims.delete(request);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      repo.release(claim.caller, claim.key);
      return payload;
    }
    const type = reply.getHeader('content-type');
    repo.complete(claim.caller, claim.key, { status: reply.statusCode, contentType: typeof type === 'string' ? type : null, body: seal(claim.secret, claim.key, payload) });
    return payload;
  });

  app.addHook('onRequestAbort', async (request) => {
    const claim = claims.get(request);
    if (claim === undefined) return;
    claims.delete(request);
    repo.release(claim.caller, claim.key);
  });
}
