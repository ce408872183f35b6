// Users and API tokens as the account routes show them: one source for validation,
// serialization and the OpenAPI document. A token's secret and hash never appear.
import { z } from 'zod';
import { tokenStatus } from '../../accounts/accounts.ts';
import type { ApiToken } from '../../db/tokens.ts';
import { Role, type UserWithActivity } from '../../db/users.ts';
import { NextCursor, PageQuery } from '../pagination/cursor.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A row id in a path: digits only (no "1e3", no "0x10"), within what a JS number holds exactly. */
export const DbId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'expected a positive whole number id')
  .transform(Number);

export const UserParams = z.strictObject({ id: DbId });
export const UserTokenParams = z.strictObject({ id: DbId, tokenId: DbId });

export const UserListQuery = PageQuery;

export const UserUpdateBody = z
  .strictObject({
    role: Role.optional().describe('admins only'),
    disabled: z.boolean().optional().describe('true: open sessions end and tokens stop working at once; false: tokens not revoked work again'),
  })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role, disabled or both');

export const UserView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    /** Identity outside kubelab: local:<name>, join:<class>:<random>, lti:<iss>#<sub>, bootstrap:admin. */
    externalKey: z.string(),
    role: Role,
    disabled: z.boolean(),
    disabledAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime().nullable().describe('latest use of one of their tokens or sessions (to the minute)'),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const TokenView = z
  .object({
    id: z.number().int(),
    label: z.string(),
    status: z.enum(['active', 'revoked', 'expired']),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().describe('to the minute'),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type TokenView = z.infer<typeof TokenView>;

export const UserListResponse = z.object({ users: z.array(UserView), nextCursor: NextCursor });
export const UserResponse = z.object({ user: UserView });
export const TokenListResponse = z.object({ tokens: z.array(TokenView), nextCursor: NextCursor });
export const TokenResponse = z.object({ token: TokenView });

export function userView(u: UserWithActivity): UserView {
  return {
    id: u.id,
    name: u.displayName,
    externalKey: u.externalKey,
    role: u.role,
    disabled: u.disabledAt !== null,
    disabledAt: iso(u.disabledAt),
    createdAt: new Date(u.createdAt).toISOString(),
    lastSeenAt: iso(u.lastSeenAt),
  };
}

export function tokenView(t: ApiToken, now: number): TokenView {
  return {
    id: t.id,
    label: t.name,
    status: tokenStatus(t, now),
    createdAt: new Date(t.createdAt).toISOString(),
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
  };
}
