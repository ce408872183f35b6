// OIDC third-party login initiation (https://www.imsglobal.org/spec/security/v1p0#step-1-third-party-initiated-login):
// the LMS sends iss, login_hint and target_link_uri (GET or POST); we answer with a
// redirect to its auth URL carrying a fresh state and nonce that we keep in SQLite.
import { z } from 'zod';
import { LaunchError } from './launch-validation.ts';
import type { LoginStates } from './login-states.ts';
import type { Platform, PlatformsRepo } from './platforms.ts';

const param = (name: string, max = 2000) => z.string({ error: `the login request has no ${name}` }).min(1, `the login request's ${name} is empty`).max(max);

export const LoginParams = z.object({
  iss: param('iss'),
  login_hint: param('login_hint', 4000),
  target_link_uri: param('target_link_uri').pipe(z.url({ protocol: /^https?$/, error: 'target_link_uri is not an http(s) URL' })),
  lti_message_hint: z.string().max(4000).optional(),
  lti_deployment_id: z.string().max(1000).optional(),
  client_id: z.string().max(500).optional(),
});

export interface LoginDeps {
  readonly platforms: PlatformsRepo;
  readonly states: LoginStates;
  readonly randomBytes: (size: number) => Buffer;
  /** The tool's launch URL (our redirect_uri), as registered in the LMS. */
  readonly launchUrl: string;
}

/** The URL to redirect the browser to; throws LaunchError naming what was wrong. */
export function initiateLogin(deps: LoginDeps, input: unknown): string {
  const parsed = LoginParams.safeParse(input ?? {});
  if (!parsed.success) throw new LaunchError('login', parsed.error.issues[0]?.message ?? 'the login request is malformed');
  const p = parsed.data;
  const platform = registrationFor(deps.platforms, p.iss, p.client_id);
  if (p.lti_deployment_id !== undefined && !platform.deploymentIds.includes(p.lti_deployment_id)) {
    throw new LaunchError('deployment', `deployment id ${JSON.stringify(p.lti_deployment_id)} is not registered for ${platform.name}`);
  }
  const state = deps.randomBytes(32).toString('base64url');
  const nonce = deps.randomBytes(32).toString('base64url');
  deps.states.save(state, { platformId: platform.id, nonce, targetLinkUri: p.target_link_uri });
  const url = new URL(platform.authUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: deps.launchUrl,
    login_hint: p.login_hint,
    state,
    nonce,
    ...(p.lti_message_hint !== undefined ? { lti_message_hint: p.lti_message_hint } : {}),
  };
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

function registrationFor(platforms: PlatformsRepo, issuer: string, clientId: string | undefined): Platform {
  if (clientId !== undefined) {
    const found = platforms.byIssuerAndClient(issuer, clientId);
    if (!found) throw new LaunchError('registration', `no platform is registered for issuer ${JSON.stringify(issuer)} and client id ${JSON.stringify(clientId)}`);
    return found;
  }
  const all = platforms.byIssuer(issuer);
  if (all.length === 0) throw new LaunchError('registration', `no platform is registered for issuer ${JSON.stringify(issuer)}`);
  if (all.length > 1) throw new LaunchError('registration', `issuer ${JSON.stringify(issuer)} is registered more than once: the LMS must send client_id`);
  return all[0]!;
}
