// User impersonation (kubectl --as / --as-group): the authenticated user must be
// allowed the `impersonate` verb on the users, groups or serviceaccounts named in
// the Impersonate-* headers; the request then runs as that user.
// Source: k8s.io/apiserver/pkg/endpoints/filters/impersonation.go

import type { IncomingMessage } from 'node:http';
import { badRequest } from '../core/errors.ts';
import type { UserInfo } from '../core/strategy.ts';
import type { ApiAuth, RequestAttributes } from './context.ts';

const SA_PREFIX = 'system:serviceaccount:';

function values(req: IncomingMessage, name: string): string[] {
  return req.headersDistinct[name] ?? [];
}

function attrs(resource: string, name: string, path: string, namespace?: string): RequestAttributes {
  return { verb: 'impersonate', group: '', resource, name, namespace, path, resourceRequest: true };
}

/** The user the request acts as: the authenticated one, or whom it impersonates (checked). */
export function effectiveUser(auth: ApiAuth, user: UserInfo, req: IncomingMessage, path: string): UserInfo {
  const [username, ...extraUsers] = values(req, 'impersonate-user');
  const groups = values(req, 'impersonate-group');
  const hasExtra = Object.keys(req.headers).some((h) => h.startsWith('impersonate-extra-')) || values(req, 'impersonate-uid').length > 0;
  if (username === undefined) {
    if (groups.length || hasExtra) throw badRequest('requested impersonation of groups or extra fields without impersonating a user');
    return user;
  }
  if (extraUsers.length) throw badRequest('only one Impersonate-User header is allowed');
  const checks: RequestAttributes[] = [];
  const out: UserInfo = { username, groups: [...groups] };
  if (username.startsWith(SA_PREFIX)) {
    const [ns, name] = username.slice(SA_PREFIX.length).split(':');
    if (!ns || !name) throw badRequest(`invalid service account username: ${username}`);
    checks.push(attrs('serviceaccounts', name, path, ns));
    out.groups.push('system:serviceaccounts', `system:serviceaccounts:${ns}`);
  } else {
    checks.push(attrs('users', username, path));
  }
  for (const g of groups) checks.push(attrs('groups', g, path));
  for (const check of checks) {
    if (!auth.authorize(user, check).allowed) throw auth.forbiddenError(user, check);
  }
  if (username !== 'system:anonymous' && !out.groups.includes('system:authenticated')) out.groups.push('system:authenticated');
  return out;
}
