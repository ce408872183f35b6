// Launch validation, in the order the LTI 1.3 security framework gives it
// (https://www.imsglobal.org/spec/security/v1p0#authentication-response-validation):
// state spent once; the JWT well formed; the nonce ours and unspent; a registration
// for iss + aud (azp when aud is a list); the signature by kid from the platform's
// JWKS; exp / iat; the deployment registered; the required claims present. Each
// refusal is a LaunchError naming the check, so the learner's page can say what failed.
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { claimName, CLAIM, DeepLinkingClaims, ResourceLinkClaims } from './claims.ts';
import type { LoginStates } from './login-states.ts';
import type { Platform, PlatformsRepo } from './platforms.ts';

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    /** Which check failed: state, id_token, nonce, registration, aud, signature, exp, iat, deployment, claims, platform_keys. */
    readonly check: string,
    message: string,
  ) {
    super(message);
  }
}

export const LaunchForm = z.object({
  id_token: z.string({ error: 'the launch carries no id_token' }).min(1).max(20_000),
  state: z.string({ error: 'the launch carries no state' }).min(1).max(200),
});

/** A valid launch, told apart by its message type. */
export type ValidLaunch = { readonly platform: Platform; readonly deploymentId: string } & (
  | { readonly message: 'resource'; readonly claims: ResourceLinkClaims }
  | { readonly message: 'deep-linking'; readonly claims: DeepLinkingClaims }
);

/** Platform signatures we accept (the asymmetric algorithms LTI allows). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
/** Clocks differ a little between an LMS and us. */
const CLOCK_TOLERANCE_S = 30;

export interface LaunchValidatorDeps {
  readonly platforms: PlatformsRepo;
  readonly states: LoginStates;
  readonly now: () => number;
}

export class LaunchValidator {
  readonly #deps: LaunchValidatorDeps;
  /** jwks URL → jose's remote key set, which caches keys and refetches for an unknown kid. */
  readonly #keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(deps: LaunchValidatorDeps) {
    this.#deps = deps;
  }

  async validate(body: unknown): Promise<ValidLaunch> {
    const form = LaunchForm.safeParse(body ?? {});
    if (!form.success) throw new LaunchError('form', form.error.issues[0]?.message ?? 'the launch form is malformed');

    const spent = this.#deps.states.spend(form.data.state);
    if (!spent.ok) {
      const why = { unknown: 'is not one this tool issued', used: 'was already used (a replayed launch)', expired: 'has expired: launch again from the course' }[spent.reason];
      throw new LaunchError('state', `the login state ${why}`);
    }
    const platform = this.#deps.platforms.select(spent.state.platformId);

    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(form.data.id_token);
    } catch {
      throw new LaunchError('id_token', 'the id_token is not a well-formed JWT');
    }

    if (unverified.nonce !== spent.state.nonce) {
      const replay = typeof unverified.nonce === 'string' && this.#deps.states.nonceSpent(unverified.nonce);
      throw new LaunchError('nonce', replay ? 'the id_token’s nonce was already used (a replayed token)' : 'the id_token’s nonce does not match this login');
    }
    if (unverified.iss !== platform.issuer) {
      throw new LaunchError('registration', `the id_token comes from issuer ${JSON.stringify(unverified.iss ?? null)}, not the platform this login began with`);
    }
    const aud = Array.isArray(unverified.aud) ? unverified.aud : [unverified.aud];
    if (!aud.includes(platform.clientId)) {
      throw new LaunchError('aud', `the id_token is addressed to ${JSON.stringify(unverified.aud ?? null)}, not this tool’s client id`);
    }
    if ((aud.length > 1 || unverified.azp !== undefined) && unverified.azp !== platform.clientId) {
      throw new LaunchError('aud', 'the id_token’s azp is not this tool’s client id');
    }

    const payload = await this.#verify(form.data.id_token, platform);

    const deploymentId = payload[CLAIM.deploymentId];
    if (typeof deploymentId !== 'string' || !platform.deploymentIds.includes(deploymentId)) {
      throw new LaunchError('deployment', `deployment id ${JSON.stringify(deploymentId ?? null)} is not registered for ${platform.name}`);
    }
    const type = payload[CLAIM.messageType];
    if (type === 'LtiDeepLinkingRequest') return { platform, deploymentId, message: 'deep-linking', claims: claimsOf(DeepLinkingClaims, payload) };
    if (type === 'LtiResourceLinkRequest') return { platform, deploymentId, message: 'resource', claims: claimsOf(ResourceLinkClaims, payload) };
    throw new LaunchError('claims', `claim message_type: expected LtiResourceLinkRequest or LtiDeepLinkingRequest, got ${JSON.stringify(type ?? null)}`);
  }

  async #verify(token: string, platform: Platform): Promise<JWTPayload> {
    let keys = this.#keySets.get(platform.jwksUrl);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(platform.jwksUrl), { timeoutDuration: 10_000 });
      this.#keySets.set(platform.jwksUrl, keys);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: platform.issuer,
        audience: platform.clientId,
        algorithms: ALGORITHMS,
        currentDate: new Date(this.#deps.now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
      });
      if (typeof payload.iat === 'number' && payload.iat * 1000 > this.#deps.now() + CLOCK_TOLERANCE_S * 1000) {
        throw new LaunchError('iat', 'the id_token was issued in the future');
      }
      return payload;
    } catch (error) {
      throw asLaunchError(error);
    }
  }
}

/** The claims parsed by `schema`, or a LaunchError naming the first claim that is wrong. */
function claimsOf<T extends z.ZodType>(schema: T, payload: JWTPayload): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.map(claimName).join('.') : 'claims';
  throw new LaunchError('claims', `claim ${where}: ${issue?.message ?? 'invalid'}`);
}

function asLaunchError(error: unknown): LaunchError {
  if (error instanceof LaunchError) return error;
  if (error instanceof joseErrors.JWTExpired) return new LaunchError('exp', 'the id_token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new LaunchError(error.claim === 'iat' || error.claim === 'nbf' ? 'iat' : 'claims', `claim ${error.claim}: ${error.reason}`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new LaunchError('signature', 'no key in the platform’s JWKS matches the id_token’s kid');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new LaunchError('signature', 'the id_token’s signature does not verify');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new LaunchError('signature', 'the id_token is signed with an algorithm LTI does not allow');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || error instanceof TypeError) {
    return new LaunchError('platform_keys', 'the platform’s JWKS could not be fetched or read; try again shortly');
  }
  if (error instanceof joseErrors.JOSEError) return new LaunchError('id_token', `the id_token was refused: ${error.code}`);
  return new LaunchError('platform_keys', 'the platform’s keys could not be checked; try again shortly');
}
