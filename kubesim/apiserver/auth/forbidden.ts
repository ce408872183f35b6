// The 403 the apiserver writes when authorization denies a request, worded exactly
// as kubectl prints it: `pods is forbidden: User "x" cannot list resource "pods" in
// API group "" in the namespace "b"`.
// Source: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go
// (Forbidden, forbiddenMessage); apimachinery/pkg/api/errors NewForbidden.

import { StatusError } from '../../core/errors.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { RequestAttributes } from './types.ts';

export function forbiddenMessage(user: UserInfo, a: RequestAttributes): string {
  const who = `User "${user.username}"`;
  if (!a.resourceRequest) return `${who} cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : (a.resource ?? '');
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${who} cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}

/** reason: the authorizer's (e.g. "RBAC: role... not found"), appended after a colon when present. */
export function forbiddenError(user: UserInfo, a: RequestAttributes, reason = ''): StatusError {
  const detail = reason ? `${forbiddenMessage(user, a)}: ${reason}` : forbiddenMessage(user, a);
  const resource = a.resourceRequest ? (a.resource ?? '') : '';
  const qualified = resource && a.group ? `${resource}.${a.group}` : resource;
  let message: string;
  if (!qualified) message = `forbidden: ${detail}`;
  else if (a.name) message = `${qualified} "${a.name}" is forbidden: ${detail}`;
  else message = `${qualified} is forbidden: ${detail}`;
  return new StatusError(403, 'Forbidden', message, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.group && resource ? { group: a.group } : {}),
    ...(resource ? { kind: resource } : {}),
  });
}
