// Authentication (bearer tokens: the admin token, ServiceAccount tokens) and
// authorization (system:masters, then RBAC) for the embedded API server.
// The chain mirrors kube-apiserver's: a privileged-groups authorizer lets
// system:masters do anything, then RBAC decides.
// Source: pkg/kubeapiserver/authorizer/config.go; apiserver/pkg/authentication/request/bearertoken

import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../core/clock.ts';
import type { StatusError } from '../../core/errors.ts';
import type { Store } from '../../core/store.ts';
import type { UserInfo } from '../../core/strategy.ts';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { bootstrapPolicy } from './bootstrap.ts';
import { escalationCheck } from './escalation.ts';
import { forbiddenError } from './forbidden.ts';
import { type Decision, RbacIndex, authorizeRbac } from './rbac.ts';
import { accessReviewAttributes, accessReviewResponse, rulesReview } from './reviews.ts';
import { TokenAuthority } from './token.ts';
import { type RequestAttributes, SYSTEM_MASTERS } from './types.ts';

export type { RequestAttributes } from './types.ts';
export { SYSTEM_MASTERS } from './types.ts';
export { forbiddenMessage } from './forbidden.ts';

export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export interface Auth {
  /** The user a request's `Authorization: Bearer` header identifies; undefined → 401. */
  authenticate(headers: IncomingHttpHeaders): UserInfo | undefined;
  /** `reason` is the authorizer's explanation (RBAC's "allowed by ..." or missing-role errors). */
  authorize(user: UserInfo, attrs: RequestAttributes): { allowed: boolean; reason?: string };
  forbiddenError(user: UserInfo, attrs: RequestAttributes): StatusError;
  issueServiceAccountToken(namespace: string, serviceAccount: StoredObject, request: KubeObject): KubeObject;
  reviewAccess(user: UserInfo, review: KubeObject): KubeObject;
  reviewRules(user: UserInfo, review: KubeObject): KubeObject;
  /** RBAC escalation prevention for writes of roles and bindings (no-op for other kinds). */
  confirmNoEscalation(user: UserInfo, resourceKey: string, obj: KubeObject, old: KubeObject | undefined): void;
}

export interface AuthOptions {
  store: Store;
  clock: Clock;
  adminToken: string;
  /** HMAC key for ServiceAccount tokens; random per cluster when omitted. */
  signingKey?: Buffer;
}

/** Whether the user is a cluster admin (system:masters): allowed everything, as on a real cluster. */
export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}

function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createAuth(opts: AuthOptions): Auth {
  bootstrapPolicy(opts.store);
  const index = new RbacIndex(opts.store);
  const tokens = new TokenAuthority(opts.store, opts.clock, opts.signingKey);

  const decide = (user: UserInfo, attrs: RequestAttributes): Decision =>
    isPrivileged(user) ? { allowed: true, reason: '' } : authorizeRbac(index, user, attrs);

  const escalation = escalationCheck(index, decide, isPrivileged);

  return {
    authenticate(headers) {
      const token = bearerToken(headers);
      if (!token) return undefined;
      if (sameSecret(token, opts.adminToken)) return { username: ADMIN_USER.username, groups: [...ADMIN_USER.groups] };
      return tokens.authenticate(token);
    },
    authorize(user, attrs) {
      const d = decide(user, attrs);
      return d.reason ? { allowed: d.allowed, reason: d.reason } : { allowed: d.allowed };
    },
    forbiddenError(user, attrs) {
      const d = decide(user, attrs);
      return forbiddenError(user, attrs, d.allowed ? '' : d.reason);
    },
    issueServiceAccountToken(namespace, serviceAccount, request) {
      return tokens.issue(namespace, serviceAccount, request);
    },
    reviewAccess(user, review) {
      const { attrs, spec } = accessReviewAttributes(review);
      const d = decide(user, attrs);
      return accessReviewResponse(spec, d.allowed, d.reason);
    },
    reviewRules(user, review) {
      return rulesReview(index, user, review);
    },
    confirmNoEscalation(user, resourceKey, obj, old) {
      escalation.confirm(user, resourceKey, obj, old);
    },
  };
}
