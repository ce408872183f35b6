// The contract between the generic REST layer (kubesim/apiserver) and the per-kind
// behaviour of the control plane (kubesim/controlplane): defaulting, validation and
// admission, in the order the real apiserver runs them:
//   decode → prepareFor* (defaults, server-set fields) → validate* (422 Invalid)
//   → admission plugins (ResourceQuota, LimitRange, PodSecurity: 403 Forbidden) → store.
// Source: k8s.io/apiserver/pkg/registry/rest/create.go, update.go

import type { Clock, Rng } from './clock.ts';
import type { FieldError } from './errors.ts';
import type { ResourceDef } from './registry.ts';
import type { Store } from './store.ts';
import type { KubeObject } from './types.ts';

export interface UserInfo {
  /** e.g. "kubernetes-admin" or "system:serviceaccount:ns:name" */
  username: string;
  groups: string[];
}

export interface RequestContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  user: UserInfo;
  resource: ResourceDef;
  /** "status", "scale", … when the request targets a subresource. */
  subresource?: string;
  /** dryRun=All: validate and admit, store nothing. */
  dryRun: boolean;
  /** Adds a `Warning` to the response (kubectl prints `Warning: ...`); absent for controllers' own writes. */
  warn?(text: string): void;
}

export interface ResourceStrategy {
  /** Defaults and server-set fields on create (e.g. a Service's clusterIP). Mutates obj. */
  prepareForCreate?(obj: KubeObject, ctx: RequestContext): void;
  validateCreate?(obj: KubeObject, ctx: RequestContext): FieldError[];
  /** Defaults on update; may copy server-set fields from old (e.g. clusterIP when omitted). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionPlugin {
  name: string;
  /** Throw a StatusError to refuse (e.g. 403 "exceeded quota: ..."); may mutate obj (LimitRange defaults). */
  admit(operation: AdmissionOperation, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext): void;
}

/** What the control plane offers the REST layer. */
export interface ResourceBehaviour {
  strategyFor(resourceKey: string): ResourceStrategy | undefined;
  admission: readonly AdmissionPlugin[];
}
