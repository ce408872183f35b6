// Garbage collector: dependents whose owners are all gone are deleted (background);
// an owner carrying `foregroundDeletion` has its blocking dependents deleted first
// (foreground propagates down) and is removed when none remain; `orphan` strips the
// owner reference from every dependent, then the finalizer.
// Source: pkg/controller/garbagecollector/garbagecollector.go (attemptToDeleteItem,
//         processDeletingDependentsItem, orphanDependents)

import { isStored, RESOURCES, resourceForKind } from '../../core/registry.ts';
import type { OwnerReference, StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { timestamp } from '../util/obj.ts';
import { deleteObject } from './helpers.ts';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

interface Ref { resource: string; namespace: string | undefined; name: string }

function encode(kind: 'dep' | 'own', r: Ref): string {
  return `${kind}|${r.resource}|${r.namespace ?? ''}|${r.name}`;
}

function decode(key: string): { kind: string; ref: Ref } {
  const [kind = '', resource = '', namespace = '', name = ''] = key.split('|');
  return { kind, ref: { resource, namespace: namespace || undefined, name } };
}

function resourceOfRef(ref: OwnerReference): string | undefined {
  return resourceForKind(ref.apiVersion, ref.kind)?.key;
}

export function garbageCollector(ctx: ControllerContext): Controller {
  const scope = (namespace: string | undefined) =>
    RESOURCES.filter((r) => isStored(r)).flatMap((r) =>
      (r.namespaced ? (namespace ? ctx.store.list(r.key, namespace) : []) : ctx.store.list(r.key)).map((obj) => ({ resource: r.key, obj })),
    );
  const dependentsOf = (owner: StoredObject) =>
    scope(owner.metadata.namespace).filter(({ obj }) => (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid));

  /** Remove a finalizer; an object left deleting with none is gone (the apiserver's rule). */
  const dropFinalizer = (resource: string, obj: StoredObject, finalizer: string) => {
    obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (obj.metadata.finalizers.length === 0 && obj.metadata.deletionTimestamp) {
      ctx.store.remove(resource, obj.metadata.namespace, obj.metadata.name);
    } else {
      ctx.store.update(resource, obj);
    }
  };

  const deleteForeground = (resource: string, obj: StoredObject) => {
    if (obj.metadata.deletionTimestamp) return;
    if (resource !== 'pods' && dependentsOf(obj).length > 0) {
      obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), FOREGROUND])];
      obj.metadata.deletionTimestamp = timestamp(ctx.clock.now());
      obj.metadata.deletionGracePeriodSeconds = 0;
      ctx.store.update(resource, obj);
      return;
    }
    deleteObject(ctx.store, ctx.clock, resource, obj);
  };

  return {
    name: 'garbage-collector',
    keysFor(event: StoreEvent) {
      const obj = event.object;
      const self: Ref = { resource: event.resource, namespace: obj.metadata.namespace, name: obj.metadata.name };
      const keys: string[] = [];
      if ((obj.metadata.ownerReferences ?? []).length > 0) {
        if (event.type !== 'DELETED') keys.push(encode('dep', self));
        // A dependent changed or went away: its owners may be waiting on it.
        for (const ref of obj.metadata.ownerReferences ?? []) {
          const resource = resourceOfRef(ref);
          if (resource) keys.push(encode('own', { resource, namespace: obj.metadata.namespace, name: ref.name }));
        }
      }
      if (event.type === 'DELETED') {
        // Its dependents may now be orphans.
        for (const { resource, obj: dep } of scope(obj.metadata.namespace)) {
          if ((dep.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid)) {
            keys.push(encode('dep', { resource, namespace: dep.metadata.namespace, name: dep.metadata.name }));
          }
        }
      } else if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN)) {
        keys.push(encode('own', self));
      }
      return keys;
    },
    reconcile(key: string) {
      const { kind, ref } = decode(key);
      const obj = ctx.store.get(ref.resource, ref.namespace, ref.name);
      if (!obj) return;
      if (kind === 'own') {
        if (!obj.metadata.deletionTimestamp) return;
        const finalizers = obj.metadata.finalizers ?? [];
        const deps = dependentsOf(obj);
        if (finalizers.includes(ORPHAN)) {
          for (const { resource, obj: dep } of deps) {
            dep.metadata.ownerReferences = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
            ctx.store.update(resource, dep);
          }
          dropFinalizer(ref.resource, obj, ORPHAN);
          return;
        }
        if (finalizers.includes(FOREGROUND)) {
          const blocking = deps.filter(({ obj: dep }) => (dep.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion));
          for (const { resource, obj: dep } of blocking) deleteForeground(resource, dep);
          if (blocking.length === 0) dropFinalizer(ref.resource, obj, FOREGROUND);
        }
        return;
      }
      // A dependent: are its owners still there (same uid)?
      const refs = obj.metadata.ownerReferences ?? [];
      if (refs.length === 0 || obj.metadata.deletionTimestamp) return;
      const dangling = refs.filter((r) => {
        const resource = resourceOfRef(r);
        if (!resource) return false;
        const def = RESOURCES.find((d) => d.key === resource);
        const owner = ctx.store.get(resource, def?.namespaced ? obj.metadata.namespace : undefined, r.name);
        return !owner || owner.metadata.uid !== r.uid;
      });
      if (dangling.length === 0) {
        // Owner deleting in the foreground: this dependent must go first.
        const fg = refs.some((r) => {
          const resource = resourceOfRef(r);
          const owner = resource ? ctx.store.get(resource, obj.metadata.namespace, r.name) : undefined;
          return owner?.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND) && r.blockOwnerDeletion;
        });
        if (fg) deleteForeground(ref.resource, obj);
        return;
      }
      if (dangling.length === refs.length) {
        deleteObject(ctx.store, ctx.clock, ref.resource, obj);
        return;
      }
      obj.metadata.ownerReferences = refs.filter((r) => !dangling.includes(r));
      ctx.store.update(ref.resource, obj);
    },
  };
}
