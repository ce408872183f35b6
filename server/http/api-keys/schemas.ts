// Service API keys as /api/v1/api-keys shows them: one source for validation,
// serialization and the OpenAPI document. The secret appears once, in the answer to
// the POST that made it; the hash never.
import { z } from 'zod';
import { API_KEY_SCOPES, ApiKeyScope, type ApiKey } from '../../db/api-keys.ts';
import { Cursor, Limit, NextCursor } from '../pagination/cursor.ts';
import { DbId } from '../routes/accounts-schemas.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const ApiKeyParams = z.strictObject({ keyId: DbId });
export const ApiKeyListQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit });

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100).regex(/^[^\p{Cc}]+$/u, 'expected no control characters').describe('what the key is for, e.g. "Moodle grade sync"'),
  scopes: z.array(ApiKeyScope).min(1).max(API_KEY_SCOPES.length).describe(`what it may do: ${API_KEY_SCOPES.join(', ')}`),
  classId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable().default(null).describe('the one class it may touch; null or absent: the whole server (admins only)'),
});

export const ApiKeyView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    hint: z.string().describe('the first characters of the secret, to tell keys apart'),
    scopes: z.array(ApiKeyScope),
    classId: z.number().int().nullable(),
    status: z.enum(['active', 'revoked']),
    createdBy: z.number().int().describe('the user whose standing the key carries'),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().describe('to the minute'),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const ApiKeyResponse = z.object({ apiKey: ApiKeyView });
export const CreatedApiKeyResponse = z.object({
  apiKey: ApiKeyView,
  secret: z.string().describe('send as "Authorization: Bearer <secret>"; shown this once, only its hash is kept'),
});
export const ApiKeyListResponse = z.object({ apiKeys: z.array(ApiKeyView), nextCursor: NextCursor });

export function apiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    hint: k.hint,
    scopes: [...k.scopes],
    classId: k.classId,
    status: k.revokedAt === null ? 'active' : 'revoked',
    createdBy: k.createdByUserId,
    createdAt: new Date(k.createdAt).toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
  };
}
