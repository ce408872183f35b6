// The embedded cluster's etcd: every object of every kind, one global monotonically
// increasing resourceVersion, and a bounded history of changes so watches can resume
// from a resourceVersion (or learn it is too old: 410 Expired).
// Source for the semantics: k8s.io/apiserver/pkg/storage (etcd3 store, watch cache).

import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import { alreadyExists, conflict, notFound } from './errors.ts';
import { resourceByKey } from './registry.ts';
import { DEFAULT_HISTORY_BYTES, DEFAULT_HISTORY_SIZE, HistoryBudget } from './history.ts';
import type { KubeObject, StoredObject, StoreEvent } from './types.ts';

export type StoreListener = (event: StoreEvent) => void;

/** A change about to be committed, as a backend writes it down. */
export type StoreWrite =
  | { type: 'put'; key: string; object: StoredObject }
  | { type: 'delete'; key: string; namespace: string; name: string };

/**
 * Where committed changes are kept beyond the process (etcd's role). `write` runs
 * before the change becomes visible: if it throws, the change did not happen.
 */
export interface StoreBackend {
  write(change: StoreWrite, revision: number): void;
}

export interface StoreOptions {
  clock: Clock;
  backend?: StoreBackend;
  /** The watch history also holds at most this many bytes of objects (history.ts); default 64 MiB. */
  historyBytes?: number;
  /** How many changes are kept for watch resumption; older resourceVersions get 410. */
  historySize?: number;
  newUid?: () => string;
  /** Where a throwing listener's error goes (default console.error); the other listeners still run. */
  onListenerError?: (error: unknown) => void;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Freeze an object graph so a reader that forgets to copy fails loudly instead of corrupting the store. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}


function groupOf(key: string): { group: string; plural: string } {
  const r = resourceByKey(key);
  return { group: r?.group ?? '', plural: r?.plural ?? key };
}

export class Store {
  private readonly clock: Clock;
  private readonly historySize: number;
  private readonly newUid: () => string;
  /** kind → namespace ('' for cluster-scoped) → name → object. Stored objects are deep-frozen. */
  private readonly buckets = new Map<string, Map<string, Map<string, StoredObject>>>();
  private readonly history: StoreEvent[] = [];
  private readonly historyBudget: HistoryBudget;
  private readonly listeners = new Set<StoreListener>();
  private readonly backend: StoreBackend | undefined;
  private readonly onListenerError: (error: unknown) => void;
  private revision = 1;

  constructor(options: StoreOptions) {
    this.historyBudget = new HistoryBudget(options.historySize ?? DEFAULT_HISTORY_SIZE, options.historyBytes ?? DEFAULT_HISTORY_BYTES);
    this.clock = options.clock;
    this.backend = options.backend;
    this.historySize = options.historySize ?? DEFAULT_HISTORY_SIZE;
    this.newUid = options.newUid ?? randomUUID;
    this.onListenerError = options.onListenerError ?? ((e) => console.error('kubesim store listener:', e));
  }

  /**
   * Fill an empty store with objects kept from an earlier run, before anyone reads or
   * watches it. No events: the history starts empty at `revision`, so a watch from an
   * older resourceVersion gets 410 and lists again, as after an etcd compaction.
   */
  restore(objects: Iterable<{ key: string; object: StoredObject }>, revision: number): void {
    if (this.listeners.size > 0 || this.buckets.size > 0 || this.history.length > 0) throw new Error('store.restore on a store already in use');
    let highest = revision;
    for (const { key, object } of objects) {
      this.put(key, deepFreeze(clone(object)));
      highest = Math.max(highest, Number(object.metadata.resourceVersion) || 0);
    }
    this.revision = Math.max(this.revision, highest);
  }

  /** The current global resourceVersion. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may resume from without 410. */
  get oldestResumableVersion(): number {
    return this.history.length ? this.history[0]!.resourceVersion - 1 : this.revision;
  }

  get(key: string, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.find(key, namespace, name);
    return found ? clone(found) : undefined;
  }

  /**
   * Like get, without copying: for readers that only look (controllers, DNS, kube-proxy).
   * The object is deep-frozen, so changing it throws a TypeError: copy first.
   */
  peek(key: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.find(key, namespace, name);
  }

  /** Objects of one kind, optionally in one namespace, sorted by namespace then name; copies the caller may change. */
  list(key: string, namespace?: string): StoredObject[] {
    return this.scan(key, namespace).map(clone);
  }

  /**
   * Like list, without copying. Hot paths (every controller reacting to every Pod
   * change) read whole kinds; copying each object each time made them quadratic.
   * The objects are deep-frozen (changing one throws a TypeError): copy before changing.
   */
  scan(key: string, namespace?: string): StoredObject[] {
    const bucket = this.bucket(key);
    const spaces = namespace === undefined ? [...bucket.keys()].sort() : [namespace];
    const out: StoredObject[] = [];
    for (const ns of spaces) {
      const names = bucket.get(ns);
      if (!names) continue;
      out.push(...[...names.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0)));
    }
    return out;
  }

  count(key: string, namespace?: string): number {
    const bucket = this.bucket(key);
    if (namespace !== undefined) return bucket.get(namespace)?.size ?? 0;
    let n = 0;
    for (const names of bucket.values()) n += names.size;
    return n;
  }

  /** Store a new object. The caller has already resolved generateName and validated it. */
  create(key: string, input: KubeObject): StoredObject {
    const name = input.metadata.name;
    if (!name) throw new Error(`store.create(${key}) without metadata.name`);
    if (this.find(key, input.metadata.namespace, name)) {
      const { group, plural } = groupOf(key);
      throw alreadyExists(plural, group, name);
    }
    const obj = clone(input) as StoredObject;
    obj.metadata.uid = obj.metadata.uid || this.newUid();
    obj.metadata.creationTimestamp = obj.metadata.creationTimestamp || new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(this.revision + 1);
    this.commit({ type: 'put', key, object: obj });
    this.put(key, deepFreeze(obj));
    this.emit({ type: 'ADDED', resource: key, object: obj, resourceVersion: this.revision });
    return clone(obj);
  }

  /**
   * Replace an object. If the input carries a resourceVersion it must equal the
   * stored one (optimistic concurrency, 409 Conflict otherwise). uid and
   * creationTimestamp cannot change.
   */
  update(key: string, input: KubeObject): StoredObject {
    const name = input.metadata.name ?? '';
    const old = this.find(key, input.metadata.namespace, name);
    const { group, plural } = groupOf(key);
    if (!old) throw notFound(plural, group, name);
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) {
      throw conflict(plural, group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const obj = clone(input) as StoredObject;
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    obj.metadata.resourceVersion = String(this.revision + 1);
    this.commit({ type: 'put', key, object: obj });
    this.put(key, deepFreeze(obj));
    this.emit({ type: 'MODIFIED', resource: key, object: obj, old, resourceVersion: this.revision });
    return clone(obj);
  }

  /** Remove an object for good (finalizers and grace periods are the caller's concern). */
  remove(key: string, namespace: string | undefined, name: string): StoredObject {
    const old = this.find(key, namespace, name);
    if (!old) {
      const { group, plural } = groupOf(key);
      throw notFound(plural, group, name);
    }
    this.commit({ type: 'delete', key, namespace: namespace ?? '', name });
    const names = this.bucket(key).get(namespace ?? '');
    names?.delete(name);
    if (names?.size === 0) this.bucket(key).delete(namespace ?? '');
    // A DELETED event carries the object at a new resourceVersion, as etcd3 does.
    const gone = clone(old);
    gone.metadata.resourceVersion = String(this.revision);
    deepFreeze(gone);
    this.emit({ type: 'DELETED', resource: key, object: gone, old, resourceVersion: this.revision });
    return clone(gone);
  }

  /** Be told of every change, synchronously, after it is committed. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Changes after `resourceVersion`, oldest first, or 'expired' when the history no
   * longer reaches back that far (the watch must answer 410 Gone / Expired).
   */
  changesSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldestResumableVersion) return 'expired';
    const out: StoreEvent[] = [];
    for (const e of this.history) if (e.resourceVersion > resourceVersion) out.push(e);
    return out;
  }

  /** Write the change through the backend (which may refuse it), then take its revision. */
  private commit(change: StoreWrite): void {
    this.backend?.write(change, this.revision + 1);
    this.revision++;
  }

  private find(key: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.bucket(key).get(namespace ?? '')?.get(name);
  }

  private put(key: string, obj: StoredObject): void {
    const bucket = this.bucket(key);
    const ns = obj.metadata.namespace ?? '';
    let names = bucket.get(ns);
    if (!names) {
      names = new Map();
      bucket.set(ns, names);
    }
    names.set(obj.metadata.name, obj);
  }

  private bucket(key: string): Map<string, Map<string, StoredObject>> {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  private emit(event: StoreEvent): void {
    // Count and byte bounds together (history.ts), before the push; the count check below finds nothing left to do.
    this.history.splice(0, this.historyBudget.add(event));
    this.history.push(event);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    // The change is already committed: one failing listener must neither undo it for
    // the caller (a 500 for a write that happened) nor hide it from the listeners after it.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
