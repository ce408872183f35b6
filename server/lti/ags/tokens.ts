// AGS access tokens: OAuth 2 client_credentials with our signed client assertion
// (private_key_jwt, RFC 7523; https://www.imsglobal.org/spec/security/v1p0#using-json-web-tokens-with-oauth-2-0-client-credentials-grant).
// The platform verifies the assertion against our published JWKS. Tokens are cached
// per platform and scope set until shortly before they expire.
import { SignJWT } from 'jose';
import { z } from 'zod';
import { SIGNING_ALG, type ToolKeys } from '../keys.ts';
import type { Platform } from '../platforms.ts';

export const USER_AGENT = 'kubelab-lti/1.0';
const ASSERTION_TTL_S = 5 * 60;
/** Renew a token this long before the platform says it expires. */
const EARLY_MS = 60_000;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'expected token_type Bearer'),
  expires_in: z.number().positive().optional(),
});

/** A failure talking to the platform, with whether trying again later may help. */
export class PlatformCallError extends Error {
  override readonly name = 'PlatformCallError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null,
    /** Seconds from a 429's Retry-After, when given. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

export interface AgsTokenDeps {
  readonly keys: ToolKeys;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Buffer;
}

export class AgsTokens {
  readonly #deps: AgsTokenDeps;
  readonly #cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(deps: AgsTokenDeps) {
    this.#deps = deps;
  }

  async token(platform: Platform, scopes: readonly string[]): Promise<string> {
    const scope = [...new Set(scopes)].sort().join(' ');
    const key = `${platform.id} ${platform.tokenUrl} ${scope}`;
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt > this.#deps.now()) return cached.token;
    const assertion = await this.#assertion(platform);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    });
    const res = await call(this.#deps.fetch, platform.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
      body,
    }, 'token');
    const parsed = TokenResponse.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new PlatformCallError(`the platform's token answer is malformed: ${parsed.error.issues[0]?.message ?? ''}`, true, res.status);
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    this.#cache.set(key, { token: parsed.data.access_token, expiresAt: this.#deps.now() + Math.max(0, lifetimeMs - EARLY_MS) });
    return parsed.data.access_token;
  }

  /** Forget a token the platform refused (401): the next call asks for a new one. */
  forget(platform: Platform): void {
    for (const key of this.#cache.keys()) if (key.startsWith(`${platform.id} `)) this.#cache.delete(key);
  }

  async #assertion(platform: Platform): Promise<string> {
    const key = await this.#deps.keys.signingKey();
    const nowS = Math.floor(this.#deps.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenUrl)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + ASSERTION_TTL_S)
      .setJti(this.#deps.randomBytes(16).toString('base64url'))
      .sign(key.privateKey);
  }
}

/**
 * One HTTP call to the platform: a network failure, a 429 or a 5xx is retryable; any
 * other non-2xx is not (the request itself is wrong and would fail the same way again).
 */
export async function call(fetcher: typeof fetch, url: string, init: RequestInit, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetcher(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new PlatformCallError(`${what}: could not reach the platform (${error instanceof Error ? error.message : String(error)})`, true, null);
  }
  if (res.ok) return res;
  const detail = (await res.text().catch(() => '')).slice(0, 300).replace(/[\p{Cc}]/gu, ' ');
  const retryAfter = Number(res.headers.get('retry-after'));
  throw new PlatformCallError(
    `${what}: the platform answered ${res.status}${detail ? `: ${detail}` : ''}`,
    res.status === 429 || res.status >= 500,
    res.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
}
