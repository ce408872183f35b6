// RFC 7386 JSON Merge Patch (application/merge-patch+json): objects merge
// recursively, null deletes, everything else (lists included) replaces.

import { badRequest } from '../../core/errors.ts';
import { type JsonObject, type JsonValue, clone, isObject } from './json.ts';

function merge(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

/** An object's merge patch must itself be an object: anything else would replace the whole object. */
export function applyMergePatch(original: JsonObject, body: JsonValue): JsonObject {
  // Source: evanphx/json-patch MergePatch — a non-object patch for an object doc is refused.
  if (!isObject(body)) throw badRequest('Invalid JSON Patch');
  return merge(original, body) as JsonObject;
}
