// Bound ServiceAccount tokens (TokenRequest): JWTs carrying the claims the real
// apiserver puts in them, signed HS256 with a per-cluster random key (the real one
// uses RS256; clients never verify the signature). Validation checks signature,
// issuer, audience, nbf/exp against the injected clock, and that the ServiceAccount
// still exists with the same uid, so deleting it (or its namespace) revokes the token.
// Source: pkg/serviceaccount/claims.go, pkg/serviceaccount/jwt.go,
// pkg/registry/core/serviceaccount/storage/token.go, pkg/apis/authentication/validation

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { StatusError, badRequest } from '../../core/errors.ts';
import type { Store } from '../../core/store.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { SERVICE_ACCOUNT_PREFIX } from './types.ts';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The API server's own audience: tokens for other audiences do not authenticate to it. */
export const API_AUDIENCES = [ISSUER];
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

const Claims = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.array(z.string()),
  exp: z.number(),
  iat: z.number(),
  nbf: z.number(),
  jti: z.string(),
  'kubernetes.io': z.object({
    namespace: z.string(),
    serviceaccount: z.object({ name: z.string(), uid: z.string() }),
  }),
});
type Claims = z.infer<typeof Claims>;

const TokenRequestSpec = z.object({
  audiences: z.array(z.string()).nullish(),
  expirationSeconds: z.number().int().nullish(),
  boundObjectRef: z.object({ kind: z.string().optional(), apiVersion: z.string().optional(), name: z.string().optional(), uid: z.string().optional() }).nullish(),
});

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export class TokenAuthority {
  private readonly key: Buffer;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    key?: Buffer,
  ) {
    this.key = key ?? randomBytes(32);
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  /** POST .../serviceaccounts/{name}/token: the TokenRequest with status.token and status.expirationTimestamp. */
  issue(namespace: string, sa: StoredObject, request: KubeObject): KubeObject {
    const parsed = TokenRequestSpec.safeParse(request.spec ?? {});
    if (!parsed.success) throw badRequest(`TokenRequest spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const spec = parsed.data;
    const seconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (seconds < MIN_EXPIRATION_SECONDS || seconds > MAX_EXPIRATION_SECONDS) {
      const why = seconds < MIN_EXPIRATION_SECONDS ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds';
      const message = `Invalid value: ${seconds}: ${why}`;
      throw new StatusError(422, 'Invalid', `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: ${message}`, {
        group: 'authentication.k8s.io',
        kind: 'TokenRequest',
        causes: [{ reason: 'FieldValueInvalid', message, field: 'spec.expirationSeconds' }],
      });
    }
    const audiences = spec.audiences && spec.audiences.length ? spec.audiences : API_AUDIENCES;
    const now = Math.floor(this.clock.now() / 1000);
    const claims: Claims = {
      aud: audiences,
      exp: now + seconds,
      iat: now,
      iss: ISSUER,
      jti: randomUUID(),
      'kubernetes.io': { namespace, serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid } },
      nbf: now,
      sub: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${sa.metadata.name}`,
    };
    const unsigned = `${b64(JSON.stringify({ alg: 'HS256', kid: 'kubesim', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
    const token = `${unsigned}.${this.sign(unsigned)}`;
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: sa.metadata.name, namespace },
      spec: { audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token, expirationTimestamp: rfc3339(claims.exp * 1000) },
    };
  }

  /** The ServiceAccount user for a valid token, or undefined (the caller answers 401). */
  authenticate(token: string): UserInfo | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;

    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch (err) {
      // A correctly signed token always carries JSON; anything else is not ours.
      if (err instanceof SyntaxError) return undefined;
      throw err;
    }
    const parsed = Claims.safeParse(decoded);
    if (!parsed.success) return undefined;
    const claims = parsed.data;
    const now = this.clock.now() / 1000;
    if (claims.iss !== ISSUER || now >= claims.exp || now < claims.nbf) return undefined;
    if (!claims.aud.some((a) => API_AUDIENCES.includes(a))) return undefined;

    const { namespace, serviceaccount } = claims['kubernetes.io'];
    if (!this.store.get('namespaces', undefined, namespace)) return undefined;
    const sa = this.store.get('serviceaccounts', namespace, serviceaccount.name);
    if (!sa || sa.metadata.uid !== serviceaccount.uid) return undefined;
    return {
      username: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${serviceaccount.name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
    };
  }
}
