// How callers authenticate, as the OpenAPI document declares it: an API token as a
// bearer credential (scripts, LMSs), or the portal's session cookie (browsers, which
// must also send x-csrf-token on changes). Routes that need a caller list both.
import { CSRF_HEADER, SESSION_COOKIE } from '../routes/environments-auth.ts';

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (klb_…), e.g. from `kubelab users add NAME`',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The portal’s session; requests that change something also need the page’s CSRF token in ${CSRF_HEADER}`,
  },
} as const;

/** `security` of a route that needs a signed-in caller: either scheme will do. */
export const SIGNED_IN: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
