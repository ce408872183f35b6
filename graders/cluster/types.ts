// The one small surface the rest of the server uses to reach Kubernetes. Objects are
// plain JSON as the apiserver sends them; callers parse the fields they need.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Omit for cluster-scoped kinds. */
  namespace?: string;
}

export interface ListQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface KindInfo {
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
}

export interface ServerInfo {
  url: string;
  /** Base64 PEM of the CA, when the cluster has one. */
  caData?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface ClusterClient {
  readonly server: ServerInfo;
  /** Whether the cluster serves this kind, and its scope; undefined when it does not. */
  kind(apiVersion: string, kind: string): Promise<KindInfo | undefined>;
  /** Throws NotFoundError. */
  get(ref: ObjectRef): Promise<KubeObject>;
  /** undefined instead of NotFoundError. */
  find(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(query: ListQuery): Promise<KubeObject[]>;
  create(obj: KubeObject, options?: { fieldManager?: string }): Promise<KubeObject>;
  patch(ref: ObjectRef, patch: unknown, type?: PatchType, options?: { fieldManager?: string }): Promise<KubeObject>;
  /** Background propagation, as kubectl does. Throws NotFoundError. */
  delete(ref: ObjectRef): Promise<void>;
  /** TokenRequest for a ServiceAccount; returns the bearer token and when it expires. */
  createToken(namespace: string, serviceAccount: string, expirationSeconds: number): Promise<{ token: string; expiresAt: string }>;
  /** The same cluster seen with another bearer token (e.g. a learner's ServiceAccount). */
  withToken(token: string): ClusterClient;
}
