// How callers authenticate, as the OpenAPI document declares it: an API token as a
// bearer credential (scripts, LMSs), or the portal's session cookie (browsers, which
// must also send x-csrf-token on changes). Routes that need a caller list both.
import { CSRF_HEADER, SESSION_COOKIE } from '../routes/environments-auth.ts';
import { SERVICE_KEY_SCHEME } from './security-requirements.ts';

export { SIGNED_IN } from './security-requirements.ts';

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
  [SERVICE_KEY_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A service API key (klk_…) for integrations, made with POST /api/v1/api-keys or `kubelab api-keys create`. ' +
      'A route open to keys lists the scope it needs (results:read, classes:write, environments:write); a class key reaches only its class. ' +
      'Requests per key (and per user token) are rate limited: over the limit is a 429 with Retry-After.',
  },
} as const;
