// Platforms (LMS registrations) an admin registered: who may launch kubelab, where to
// send the learner to log in, where to get AGS tokens, and where the platform's keys are.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from '../db/columns.ts';
import { NotFoundError } from '../db/errors.ts';

const httpsOrLocalUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
  .max(2000)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'expected an https URL (http only for localhost)');

const text = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\p{Cc}]+$/u, 'no control characters');

/** What registering a platform needs; the API body and the CLI flags both parse into it. */
export const NewPlatform = z.strictObject({
  name: text(100),
  issuer: text(500),
  clientId: text(500),
  authUrl: httpsOrLocalUrl,
  tokenUrl: httpsOrLocalUrl,
  jwksUrl: httpsOrLocalUrl,
  deploymentIds: z.array(text(500)).min(1, 'register at least one deployment id').max(100),
});
export type NewPlatform = z.infer<typeof NewPlatform>;

export const PlatformRow = z.object({
  id,
  name: z.string(),
  issuer: z.string(),
  client_id: z.string(),
  auth_url: z.string(),
  token_url: z.string(),
  jwks_url: z.string(),
  deployment_ids: jsonText(z.array(z.string())),
  created_at: timestamp,
});
const parsePlatform = PlatformRow.transform((r) => ({
  id: r.id,
  name: r.name,
  issuer: r.issuer,
  clientId: r.client_id,
  authUrl: r.auth_url,
  tokenUrl: r.token_url,
  jwksUrl: r.jwks_url,
  deploymentIds: r.deployment_ids,
  createdAt: r.created_at,
}));
export type Platform = z.output<typeof parsePlatform>;

export class DuplicatePlatformError extends Error {
  override readonly name = 'DuplicatePlatformError';
  constructor(issuer: string, clientId: string) {
    super(`a platform with issuer ${JSON.stringify(issuer)} and client id ${JSON.stringify(clientId)} is already registered`);
  }
}

export class PlatformsRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byIssuer: Database.Statement;
  readonly #byIssuerClient: Database.Statement;
  readonly #all: Database.Statement;
  readonly #delete: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO lti_platforms (name, issuer, client_id, auth_url, token_url, jwks_url, deployment_ids, created_at)
       VALUES (@name, @issuer, @clientId, @authUrl, @tokenUrl, @jwksUrl, @deploymentIds, @now)
       ON CONFLICT (issuer, client_id) DO NOTHING RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM lti_platforms WHERE id = ?');
    this.#byIssuer = sqlite.prepare('SELECT * FROM lti_platforms WHERE issuer = ? ORDER BY id');
    this.#byIssuerClient = sqlite.prepare('SELECT * FROM lti_platforms WHERE issuer = ? AND client_id = ?');
    this.#all = sqlite.prepare('SELECT * FROM lti_platforms ORDER BY id');
    this.#delete = sqlite.prepare('DELETE FROM lti_platforms WHERE id = ?');
  }

  create(input: NewPlatform): Platform {
    const row = this.#insert.get({ ...input, deploymentIds: JSON.stringify(input.deploymentIds), now: this.#now() });
    if (row === undefined) throw new DuplicatePlatformError(input.issuer, input.clientId);
    return parsePlatform.parse(row);
  }

  select(platformId: number): Platform {
    const row = this.#byId.get(platformId);
    if (row === undefined) throw new NotFoundError('lti platform', platformId);
    return parsePlatform.parse(row);
  }

  /** The platforms of an issuer (one LMS may register kubelab under several client ids). */
  byIssuer(issuer: string): Platform[] {
    return this.#byIssuer.all(issuer).map((r) => parsePlatform.parse(r));
  }

  byIssuerAndClient(issuer: string, clientId: string): Platform | undefined {
    const row = this.#byIssuerClient.get(issuer, clientId);
    return row === undefined ? undefined : parsePlatform.parse(row);
  }

  list(): Platform[] {
    return this.#all.all().map((r) => parsePlatform.parse(r));
  }

  /** Removes the registration and everything keyed by it (mappings, queued scores). */
  remove(platformId: number): void {
    if (this.#delete.run(platformId).changes === 0) throw new NotFoundError('lti platform', platformId);
  }
}
