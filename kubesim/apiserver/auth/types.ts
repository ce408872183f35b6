// Shapes the authenticator and authorizer share: request attributes (what the
// HTTP layer derives from a URL) and the RBAC objects as read from the store.
// Source: staging/src/k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go;
// k8s.io/api/rbac/v1/types.go

import { z } from 'zod';

export interface RequestAttributes {
  /** get, list, watch, create, update, patch, delete, deletecollection (or the HTTP verb, lowercased, for non-resource paths). */
  verb: string;
  /** "" for the core group. */
  group: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request path, e.g. "/api/v1/namespaces/a/pods" or "/version". */
  path: string;
  resourceRequest: boolean;
}

export const PolicyRule = z.object({
  verbs: z.array(z.string()).default([]),
  apiGroups: z.array(z.string()).nullish().transform((v) => v ?? []),
  resources: z.array(z.string()).nullish().transform((v) => v ?? []),
  resourceNames: z.array(z.string()).nullish().transform((v) => v ?? []),
  nonResourceURLs: z.array(z.string()).nullish().transform((v) => v ?? []),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

const Meta = z.object({ name: z.string(), namespace: z.string().optional() });

export const Role = z.object({
  metadata: Meta,
  rules: z.array(PolicyRule).nullish().transform((v) => v ?? []),
});
export type Role = z.infer<typeof Role>;

export const Subject = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  apiGroup: z.string().optional(),
});
export type Subject = z.infer<typeof Subject>;

export const Binding = z.object({
  metadata: Meta,
  roleRef: z.object({ kind: z.string(), name: z.string(), apiGroup: z.string().optional() }),
  subjects: z.array(Subject).nullish().transform((v) => v ?? []),
});
export type Binding = z.infer<typeof Binding>;

/** The group every request authenticated as a cluster admin carries (allowed everything). */
export const SYSTEM_MASTERS = 'system:masters';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
