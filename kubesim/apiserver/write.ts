// Create, update and patch: the generic registry's write path around the control
// plane's strategies and admission. Order as the real apiserver:
//   decode → BeforeCreate/BeforeUpdate (prepare, validate) → admission → store.
// Source: k8s.io/apiserver/pkg/endpoints/handlers/{create,update,patch}.go,
// k8s.io/apiserver/pkg/registry/generic/registry/store.go

import { randomUUID } from 'node:crypto';
import { randomSuffix } from '../core/clock.ts';
import { alreadyExists, badRequest, conflict, invalid, notFound, type FieldError } from '../core/errors.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import { strategyContext, type ResourceCall } from './context.ts';
import { checkFields, type FieldValidation } from './fieldcheck.ts';
import { isRecord } from './http.ts';
import {
  admitNamespace, asObject, hasStatus, isNoop, keepSystemMeta, specChanged, timestamp, tracksGeneration, validateName, withTypeMeta,
} from './objects.ts';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation?: FieldValidation;
}

function versionOf(call: ResourceCall): string {
  return call.resource.version;
}

function failInvalid(call: ResourceCall, name: string, errors: FieldError[]): never {
  throw invalid(call.resource.kind, call.resource.group, name, errors);
}

/** Decode and validate a create body, then create it. Returns the stored (or dry-run) object. */
export function createFromBody(call: ResourceCall, body: unknown, opts: WriteOptions): KubeObject {
  checkFields(call.res, call.resource.kind, body, opts.fieldValidation, { version: versionOf(call) });
  return createObject(call, asObject(call.resource, body), opts);
}

export function createObject(call: ResourceCall, input: KubeObject, opts: WriteOptions): KubeObject {
  const { resource: r, deps } = call;
  const obj = withTypeMeta(r, input);
  const meta = obj.metadata;
  if (r.namespaced) {
    if (meta.namespace && call.namespace !== undefined && meta.namespace !== call.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = call.namespace ?? meta.namespace;
    if (!meta.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  } else {
    delete meta.namespace;
  }
  if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  // rest.BeforeCreate: generateName, then system fields the client may not set.
  if (!meta.name && meta.generateName) {
    meta.name = meta.generateName.slice(0, 58) + randomSuffix(deps.rng);
  }
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generation'] as const) delete meta[f];
  if (tracksGeneration(r)) meta.generation = 1;
  // The RBAC storage checks escalation before its own create (policybased/storage.go).
  deps.auth.confirmNoEscalation(call.user, r.key, obj, undefined);
  const ctx = strategyContext(call, opts.dryRun);
  const strategy = deps.behaviour.strategyFor(r.key);
  strategy?.prepareForCreate?.(obj, ctx);
  const errors = strategy?.validateCreate?.(obj, ctx) ?? [];
  if (!errors.some((e) => e.field === 'metadata.name')) errors.unshift(...validateName(r, meta.name));
  if (errors.length) failInvalid(call, meta.name ?? '', errors);
  admitNamespace(deps.store, r, meta.namespace, meta.name ?? '');
  for (const plugin of deps.behaviour.admission) plugin.admit('CREATE', obj, undefined, ctx);
  if (opts.dryRun) {
    if (deps.store.get(r.key, meta.namespace, meta.name!)) {
      throw alreadyExists(r.plural, r.group, meta.name!);
    }
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = timestamp(deps.clock.now());
    return obj;
  }
  return withTypeMeta(r, deps.store.create(r.key, obj));
}

/** Where an update's content comes from: the whole object, only its status, or Namespace finalizers. */
export function mergeForSubresource(call: ResourceCall, old: StoredObject, body: KubeObject, subresource: string | undefined): KubeObject {
  const r = call.resource;
  if (subresource === 'status') {
    const next = structuredClone(old) as KubeObject;
    if (body['status'] === undefined) delete next['status'];
    else next['status'] = body['status'];
    next.metadata.resourceVersion = body.metadata.resourceVersion;
    return next;
  }
  if (subresource === 'finalize') {
    // namespaces/{name}/finalize changes spec.finalizers only (pkg/registry/core/namespace/strategy.go).
    const next = structuredClone(old) as KubeObject;
    const spec = isRecord(body['spec']) ? body['spec'] : {};
    next['spec'] = { ...(isRecord(next['spec']) ? next['spec'] : {}), finalizers: spec['finalizers'] ?? [] };
    next.metadata.resourceVersion = body.metadata.resourceVersion;
    return next;
  }
  const next = structuredClone(body);
  // The main resource ignores status changes when status is a subresource.
  if (hasStatus(r)) {
    if (old['status'] === undefined) delete next['status'];
    else next['status'] = structuredClone(old['status']);
  }
  return next;
}

/**
 * Run the update path for an already merged object: system metadata, strategy,
 * generation, admission, optimistic concurrency, no-op detection, and removal once
 * a deleted object's last finalizer is gone.
 */
export function commitUpdate(call: ResourceCall, old: StoredObject, input: KubeObject, opts: WriteOptions, subresource = call.subresource): KubeObject {
  const { resource: r, deps } = call;
  const next = withTypeMeta(r, input);
  next.metadata.name = old.metadata.name;
  if (r.namespaced) next.metadata.namespace = old.metadata.namespace;
  else delete next.metadata.namespace;
  const wantedRv = next.metadata.resourceVersion;
  keepSystemMeta(old, next);
  deps.auth.confirmNoEscalation(call.user, r.key, next, old);
  const ctx = strategyContext(call, opts.dryRun, subresource);
  const strategy = deps.behaviour.strategyFor(r.key);
  strategy?.prepareForUpdate?.(next, old, ctx);
  const errors = strategy?.validateUpdate?.(next, old, ctx) ?? [];
  if (errors.length) failInvalid(call, old.metadata.name, errors);
  if (tracksGeneration(r) && subresource !== 'status' && specChanged(old, next)) {
    next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  }
  for (const plugin of deps.behaviour.admission) plugin.admit('UPDATE', next, old, ctx);
  if (wantedRv && wantedRv !== old.metadata.resourceVersion) {
    throw conflict(r.plural, r.group, old.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (isNoop(old, next)) return withTypeMeta(r, old);
  // store.go ShouldDeleteDuringUpdate: a deleted object whose last finalizer is removed goes away.
  const finalizers = next.metadata.finalizers ?? [];
  const remove = old.metadata.deletionTimestamp !== undefined && finalizers.length === 0 &&
    (old.metadata.deletionGracePeriodSeconds ?? 0) === 0 && r.key !== 'namespaces';
  if (opts.dryRun) return next;
  if (remove) return withTypeMeta(r, deps.store.remove(r.key, old.metadata.namespace, old.metadata.name));
  return withTypeMeta(r, deps.store.update(r.key, next));
}

export function loadExisting(call: ResourceCall): StoredObject {
  const r = call.resource;
  const name = call.name ?? '';
  const found = call.deps.store.get(r.key, r.namespaced ? call.namespace : undefined, name);
  if (!found) throw notFound(r.plural, r.group, name);
  return found;
}

/** PUT: replace the object (or its status / finalizers). */
export function updateFromBody(call: ResourceCall, body: unknown, opts: WriteOptions): KubeObject {
  const r = call.resource;
  const sub = call.subresource;
  checkFields(call.res, r.kind, body, opts.fieldValidation, { version: r.version });
  const obj = asObject(r, body);
  if (obj.metadata.name !== undefined && obj.metadata.name !== call.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${call.name ?? ''})`);
  }
  if (r.namespaced && obj.metadata.namespace && obj.metadata.namespace !== call.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const old = loadExisting(call);
  return commitUpdate(call, old, mergeForSubresource(call, old, obj, sub), opts, sub);
}

