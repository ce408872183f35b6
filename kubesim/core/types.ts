// The shapes every part of the embedded cluster shares. Objects are kept as plain
// JSON (what the wire carries); each part parses the fields it needs.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A stored object always has these set by the store. */
export interface StoredObject extends KubeObject {
  metadata: ObjectMeta & { name: string; uid: string; resourceVersion: string; creationTimestamp: string };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  /** The resource's registry key, e.g. "pods" or "apps/deployments". */
  resource: string;
  /** Frozen: the stored object itself, shared with every listener. Copy before changing. */
  object: StoredObject;
  /** The object as it was before this change (MODIFIED and DELETED only); frozen too. */
  old?: StoredObject;
  resourceVersion: number;
}
