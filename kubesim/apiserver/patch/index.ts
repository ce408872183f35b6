// PATCH for every kind the embedded cluster serves: picks the patch flavour from
// the Content-Type, applies it to the stored object and returns the result. The
// caller then runs the usual update path (prepare, validate, admit, store).
// Source: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go

import { badRequest } from '../../core/errors.ts';
import type { ResourceDef } from '../../core/registry.ts';
import type { KubeObject } from '../../core/types.ts';
import { PATCH_TYPES, type PatchType, unsupportedMediaType } from './errors.ts';
import { type JsonObject, type JsonValue, asJson, decodeJsonBody, decodeYamlBody, isObject } from './json.ts';
import { applyJsonPatch } from './jsonpatch.ts';
import { applyMergePatch } from './mergepatch.ts';
import { applyStrategicMergePatch } from './strategic.ts';

export { PatchApplyError, PATCH_TYPES, type PatchType } from './errors.ts';

/** "application/merge-patch+json; charset=utf-8" → the patch type, or undefined when unsupported. */
export function patchTypeOf(contentType: string): PatchType | undefined {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return (PATCH_TYPES as readonly string[]).includes(base) ? (base as PatchType) : undefined;
}

function asKubeObject(v: JsonValue): KubeObject {
  // A patch may not turn the object into something that is not an object with metadata.
  if (!isObject(v)) throw badRequest('the patched object is not a JSON object');
  const { apiVersion, kind, metadata } = v;
  if (metadata !== undefined && !isObject(metadata)) throw badRequest('metadata must be an object');
  return { ...v, apiVersion: typeof apiVersion === 'string' ? apiVersion : '', kind: typeof kind === 'string' ? kind : '', metadata: metadata ?? {} };
}

/**
 * Apply `patchBody` (raw text/bytes, or an already-decoded JSON value) of the given
 * Content-Type to `original`. Throws StatusError: 415 for an unsupported type, 400
 * for an undecodable body, 422 (PatchApplyError) for a patch that does not apply.
 */
export function applyPatch(contentType: string, original: KubeObject, patchBody: unknown, resource: ResourceDef): KubeObject {
  const type = patchTypeOf(contentType);
  if (!type) throw unsupportedMediaType();
  const doc = asJson(original, 'object') as JsonObject;
  switch (type) {
    case 'application/json-patch+json':
      return asKubeObject(applyJsonPatch(doc, decodeJsonBody(patchBody)));
    case 'application/merge-patch+json':
      return asKubeObject(applyMergePatch(doc, decodeJsonBody(patchBody)));
    case 'application/strategic-merge-patch+json':
      return asKubeObject(applyStrategicMergePatch(doc, decodeJsonBody(patchBody), resource.kind));
    case 'application/apply-patch+yaml': {
      // Server-side apply, simplified: the applied configuration merges like a
      // strategic merge patch (same list keys); no managedFields are tracked.
      const applied = decodeYamlBody(patchBody);
      if (!isObject(applied)) throw badRequest('error decoding YAML: the applied configuration must be an object');
      return asKubeObject(applyStrategicMergePatch(doc, applied, resource.kind));
    }
  }
}
