// Deep Linking 2.0 (https://www.imsglobal.org/spec/lti-dl/v2p0): an instructor picks an
// exercise inside the LMS; we answer with a JWT signed by our key, auto-posted to the
// platform's return URL, carrying one ltiResourceLink whose line item is worth the
// exercise's points (so the LMS makes the gradebook column).
import type Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { Exercise } from '../catalog/exercise.ts';
import { id, timestamp } from '../db/columns.ts';
import { hashToken } from '../db/tokens.ts';
import { CLAIM } from './claims.ts';
import { SIGNING_ALG, type ToolKeys } from './keys.ts';
import type { Platform } from './platforms.ts';

export const DEEP_LINK_TTL_MS = 30 * 60_000;
const RESPONSE_TTL_S = 5 * 60;

export const DeepLinkRequestId = z.string().regex(/^kld_[A-Za-z0-9_-]{43}$/, 'expected a deep-linking request id');

export const DeepLinkRow = z.object({
  request_hash: z.string(),
  platform_id: id,
  deployment_id: z.string(),
  user_id: id,
  return_url: z.string(),
  data: z.string().nullable(),
  expires_at: timestamp,
  used_at: timestamp.nullable(),
});

export interface DeepLinkRequest {
  readonly platformId: number;
  readonly deploymentId: string;
  readonly userId: number;
  readonly returnUrl: string;
  readonly data: string | null;
}

export class DeepLinkRequests {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #insert: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #spend: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#insert = sqlite.prepare(
      `INSERT INTO lti_deep_links (request_hash, platform_id, deployment_id, user_id, return_url, data, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#byHash = sqlite.prepare('SELECT * FROM lti_deep_links WHERE request_hash = ?');
    this.#spend = sqlite.prepare('UPDATE lti_deep_links SET used_at = ? WHERE request_hash = ? AND used_at IS NULL');
  }

  save(request: DeepLinkRequest): string {
    const requestId = `kld_${this.#randomBytes(32).toString('base64url')}`;
    this.#insert.run(hashToken(requestId), request.platformId, request.deploymentId, request.userId, request.returnUrl, request.data, this.#now() + DEEP_LINK_TTL_MS);
    return requestId;
  }

  /** The request, spent; undefined when unknown, expired or already answered. */
  spend(requestId: string): DeepLinkRequest | undefined {
    const found = this.#byHash.get(hashToken(requestId));
    if (found === undefined) return undefined;
    const row = DeepLinkRow.parse(found);
    if (row.used_at !== null || row.expires_at <= this.#now()) return undefined;
    if (this.#spend.run(this.#now(), row.request_hash).changes !== 1) return undefined;
    return { platformId: row.platform_id, deploymentId: row.deployment_id, userId: row.user_id, returnUrl: row.return_url, data: row.data };
  }
}

/** An exercise's full marks: the sum of its checks' points. */
export function exercisePoints(exercise: Pick<Exercise, 'checks'>): number {
  return exercise.checks.reduce((sum, c) => sum + c.points, 0);
}

export interface DeepLinkResponseInput {
  readonly platform: Platform;
  readonly request: DeepLinkRequest;
  readonly exercise: Exercise;
  /** Our launch URL: where the LMS will launch the new link. */
  readonly launchUrl: string;
  readonly now: number;
  readonly nonce: string;
}

/** The signed LtiDeepLinkingResponse JWT. */
export async function deepLinkResponse(keys: ToolKeys, input: DeepLinkResponseInput): Promise<string> {
  const { platform, request, exercise } = input;
  const key = await keys.signingKey();
  const item = {
    type: 'ltiResourceLink',
    title: exercise.title,
    text: exercise.summary,
    url: input.launchUrl,
    custom: { exercise: exercise.id },
    lineItem: { scoreMaximum: exercisePoints(exercise), label: exercise.title, resourceId: exercise.id },
  };
  const nowS = Math.floor(input.now / 1000);
  return new SignJWT({
    nonce: input.nonce,
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: request.deploymentId,
    [CLAIM.deepLinkingContentItems]: [item],
    ...(request.data !== null ? { [CLAIM.deepLinkingData]: request.data } : {}),
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(platform.clientId)
    .setAudience(platform.issuer)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + RESPONSE_TTL_S)
    .sign(key.privateKey);
}
