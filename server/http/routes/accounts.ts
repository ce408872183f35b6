// /api/v1/users: accounts for admins and instructors. Admins reach every user; an
// instructor reaches the learners of classes they own (anyone else is 404 to them);
// a learner gets 403 on all of it. The rules and the audit trail live in
// server/accounts, shared with the instructor pages and `kubelab users`.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccountForbiddenError, AccountRuleError, Accounts, type Actor } from '../../accounts/accounts.ts';
import type { Db } from '../../db/database.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { ErrorResponse, NoQuery } from '../schemas/common.ts';
import { SIGNED_IN } from '../schemas/security.ts';
import { pageFromProbe, pageOfSorted, PageQuery } from '../pagination/cursor.ts';
import {
  TokenListResponse,
  TokenResponse,
  tokenView,
  UserListQuery,
  UserListResponse,
  UserParams,
  UserResponse,
  UserTokenParams,
  UserUpdateBody,
  userView,
} from './accounts-schemas.ts';
import { currentCaller, requireStaff, type Authenticate } from './environments-auth.ts';

export interface AccountRoutesOptions {
  readonly db: Db;
  readonly authenticate: Authenticate;
  readonly now: () => number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse } as const;
const tags = ['accounts'];
const security = SIGNED_IN;

/** The account rules' refusals as HTTP errors; anything else (NotFoundError → 404) passes on. */
export function accountErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AccountRuleError) throw new ConflictError(error.message, { rule: error.rule });
    if (error instanceof AccountForbiddenError) throw new ForbiddenError(error.message);
    throw error;
  }
}

export const accountRoutes: FastifyPluginAsyncZod<AccountRoutesOptions> = async (app, { db, authenticate, now }) => {
  requireStaff(app, authenticate);
  const accounts = new Accounts(db);
  const actor = (request: FastifyRequest): Actor => ({ user: currentCaller(request), via: 'api' });

  app.get('/users', {
    schema: {
      tags, security,
      summary: 'Users you manage, by id, a page at a time (admins: everyone; instructors: learners in your classes)',
      querystring: UserListQuery,
      response: { 200: UserListResponse, ...errors },
    },
  }, async (request) => {
    const { cursor, limit } = request.query;
    const page = pageFromProbe(accounts.list(actor(request), { after: cursor ?? 0, limit: limit + 1 }), limit, (u) => u.id);
    return { users: page.items.map(userView), nextCursor: page.nextCursor };
  });

  app.get('/users/:id', {
    schema: { tags, security, summary: 'One user you manage', params: UserParams, querystring: NoQuery, response: { 200: UserResponse, ...errors } },
  }, async (request) => accountErrors(() => ({ user: userView(accounts.user(actor(request), request.params.id)) })));

  app.patch('/users/:id', {
    schema: {
      tags, security,
      summary: 'Change a user’s role (admins) or disable / enable them; never your own account, never the last active admin',
      params: UserParams,
      querystring: NoQuery,
      body: UserUpdateBody,
      response: { 200: UserResponse, ...errors },
    },
  }, async (request) =>
    accountErrors(() => {
      const who = actor(request);
      accounts.update(who, request.params.id, request.body);
      return { user: userView(accounts.user(who, request.params.id)) };
    }),
  );

  app.get('/users/:id/tokens', {
    schema: {
      tags, security,
      summary: 'A user’s API tokens by id, a page at a time: label, created, last used (never the secret: only its hash is kept)',
      params: UserParams,
      querystring: PageQuery,
      response: { 200: TokenListResponse, ...errors },
    },
  }, async (request) =>
    accountErrors(() => {
      const byId = [...accounts.tokens(actor(request), request.params.id)].sort((a, b) => a.id - b.id);
      const page = pageOfSorted(byId, request.query, (t) => t.id, 'asc');
      return { tokens: page.items.map((t) => tokenView(t, now())), nextCursor: page.nextCursor };
    }),
  );

  app.post('/users/:id/tokens/:tokenId/revoke', {
    schema: {
      tags, security,
      summary: 'Revoke one of a user’s API tokens; it stops working at once. Revoking twice keeps the first time',
      params: UserTokenParams,
      querystring: NoQuery,
      response: { 200: TokenResponse, ...errors },
    },
  }, async (request) =>
    accountErrors(() => ({ token: tokenView(accounts.revokeToken(actor(request), request.params.tokenId, request.params.id), now()) })),
  );
};
