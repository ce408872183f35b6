// PATCH: apply the patch (kubesim/apiserver/patch) to the stored object, then run
// the ordinary update path. Server-side apply (application/apply-patch+yaml)
// creates the object when it does not exist, as the real apiserver does.
// Source: k8s.io/apiserver/pkg/endpoints/handlers/patch.go

import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest, invalid, notFound } from '../core/errors.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import type { ResourceCall } from './context.ts';
import { checkFields } from './fieldcheck.ts';
import { PATCH_TYPES, applyPatch, patchTypeOf } from './patch/index.ts';
import { asObject, withTypeMeta } from './objects.ts';
import type { WriteQuery } from './query.ts';
import { commitUpdate, createObject, mergeForSubresource } from './write.ts';

export function patchMediaType(contentType: string | undefined): string {
  const type = patchTypeOf(contentType ?? '');
  if (!type) {
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
  return type;
}

/** Patch the object at call.name (main resource, status, or Namespace finalize). */
export function patchObject(call: ResourceCall, raw: string, contentType: string, query: WriteQuery): KubeObject {
  const r = call.resource;
  const type = patchMediaType(contentType);
  const opts = { dryRun: query.dryRun ?? false, fieldValidation: query.fieldValidation };
  const isApply = type === 'application/apply-patch+yaml';
  if (isApply && !query.fieldManager) {
    throw invalid('PatchOptions.meta.k8s.io', '', '', [
      { field: 'fieldManager', type: 'FieldValueRequired', message: 'fieldManager: Required value: is required for apply patch' },
    ]);
  }
  const store = call.deps.store;
  const old: StoredObject | undefined = store.get(r.key, r.namespaced ? call.namespace : undefined, call.name ?? '');
  if (!old) {
    if (isApply && call.subresource === undefined) {
      const applied = decodeApplied(raw);
      checkFields(call.res, r.kind, applied, opts.fieldValidation);
      const obj = asObject(r, applied);
      if (obj.metadata.name !== undefined && obj.metadata.name !== call.name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${call.name ?? ''})`);
      }
      obj.metadata.name = call.name;
      return createObject(call, obj, opts);
    }
    throw notFound(r.plural, r.group, call.name ?? '');
  }
  const patched = applyPatch(type, withTypeMeta(r, old), raw, r);
  checkFields(call.res, r.kind, patched, opts.fieldValidation);
  if (patched.metadata.name !== undefined && patched.metadata.name !== old.metadata.name) {
    throw badRequest(`the name of the object (${String(patched.metadata.name)}) does not match the name on the URL (${old.metadata.name})`);
  }
  const obj = asObject(r, patched);
  // A patch that does not mention resourceVersion keeps the stored one (no conflict).
  if (obj.metadata.resourceVersion === undefined) obj.metadata.resourceVersion = old.metadata.resourceVersion;
  return commitUpdate(call, old, mergeForSubresource(call, old, obj, call.subresource), opts);
}

function decodeApplied(raw: string): unknown {
  try {
    return parseYaml(raw);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
}
