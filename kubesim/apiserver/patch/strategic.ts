// Kubernetes strategic merge patch (application/strategic-merge-patch+json), as
// `kubectl apply` and `kubectl patch` send it. Maps merge recursively and `null`
// deletes; lists follow the per-field strategy in schema.ts (merged by key, merged
// as a set, or replaced), plus the directives $patch, $retainKeys,
// $setElementOrder/<list> and $deleteFromPrimitiveList/<list>.
// Source: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go
// (mergeMap, mergeSlice, normalizeElementOrder, mergeSortedSlice).

import { badRequest } from '../../core/errors.ts';
import { PatchApplyError } from './errors.ts';
import { type JsonObject, type JsonValue, brief, clone, deepEqual, isObject } from './json.ts';
import { listStrategy } from './schema.ts';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function isDirectiveKey(k: string): boolean {
  return k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

class Merger {
  constructor(private readonly kind: string) {}

  /** A value with no counterpart in the original: merged onto an empty one so directives and nulls are resolved. */
  fresh(v: JsonValue, path: string): JsonValue {
    if (isObject(v)) return this.mergeMap({}, v, path);
    if (Array.isArray(v)) return this.mergeList([], v, path);
    return v;
  }

  mergeMap(original: JsonObject, patch: JsonObject, path: string): JsonObject {
    if (Object.hasOwn(patch, PATCH)) {
      const directive = patch[PATCH];
      const rest = Object.fromEntries(Object.entries(patch).filter(([k]) => k !== PATCH));
      if (directive === 'replace') return this.mergeMap({}, rest, path);
      if (directive === 'delete') return {};
      // Go refuses "merge" on a map; it is the default behaviour, so we accept it.
      if (directive !== 'merge') throw badRequest(`Unknown patch type: ${brief(directive)} in map: ${brief(patch)}`);
      return this.mergeMap(original, rest, path);
    }
    const out: JsonObject = { ...original };

    if (Object.hasOwn(patch, RETAIN_KEYS)) {
      const keep = patch[RETAIN_KEYS];
      if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
        throw badRequest('invalid patch format of retainKeys');
      }
      for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
    }

    // Lists as they were before this patch: $setElementOrder sorts server-only items by it.
    const before = new Map<string, JsonValue[]>();
    for (const [k, order] of Object.entries(patch)) {
      if (!k.startsWith(SET_ORDER)) continue;
      if (!Array.isArray(order)) throw badRequest('invalid patch format of setElementOrder list');
      const list = out[k.slice(SET_ORDER.length)];
      if (Array.isArray(list)) before.set(k.slice(SET_ORDER.length), list);
    }

    for (const [k, values] of Object.entries(patch)) {
      if (!k.startsWith(DELETE_PRIMITIVE)) continue;
      if (!Array.isArray(values)) throw badRequest('invalid patch format of primitive list');
      const field = k.slice(DELETE_PRIMITIVE.length);
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((x) => !values.some((v) => deepEqual(v, x)));
    }

    for (const [k, pv] of Object.entries(patch)) {
      if (isDirectiveKey(k)) continue;
      if (pv === null) {
        delete out[k];
        continue;
      }
      const fieldPath = join(path, k);
      const ov = out[k];
      if (isObject(ov) && isObject(pv)) out[k] = this.mergeMap(ov, pv, fieldPath);
      else if (Array.isArray(ov) && Array.isArray(pv)) out[k] = this.mergeList(ov, pv, fieldPath);
      else out[k] = this.fresh(pv, fieldPath);
    }

    for (const [k, order] of Object.entries(patch)) {
      if (!k.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
      const field = k.slice(SET_ORDER.length);
      const merged = out[field];
      if (!Array.isArray(merged)) continue;
      out[field] = this.enforceOrder(merged, order, before.get(field) ?? [], join(path, field));
    }
    return out;
  }

  mergeList(original: JsonValue[], patch: JsonValue[], path: string): JsonValue[] {
    const strategy = listStrategy(this.kind, path);
    if (!strategy) return patch.map((v) => this.fresh(v, path));
    if (patch.some(Array.isArray)) throw new PatchApplyError('lists of lists are not supported');
    if (original.length === 0 && patch.length === 0) return [];

    if ('primitiveMerge' in strategy) {
      const merged: JsonValue[] = [];
      for (const v of [...original, ...patch]) if (!merged.some((m) => deepEqual(m, v))) merged.push(v);
      return this.normalize(merged, patch, original, undefined);
    }

    const key = strategy.mergeKey;
    const keyOf = (item: JsonValue, from: string): JsonValue => {
      if (!isObject(item) || item[key] === undefined) {
        throw new PatchApplyError(`${from}: ${brief(item)} does not contain declared merge key: ${key}`);
      }
      return item[key]!;
    };

    // Special elements first: {$patch: delete, <key>: v} drops a match; {$patch: replace} replaces the list.
    let base = original;
    let replace = false;
    const plain: JsonObject[] = [];
    for (const el of patch) {
      if (!isObject(el)) throw new PatchApplyError(`${path}: list element ${brief(el)} is not an object`);
      if (!Object.hasOwn(el, PATCH)) {
        plain.push(el);
        continue;
      }
      const directive = el[PATCH];
      if (directive === 'delete') {
        const k = keyOf(el, 'map');
        base = base.filter((o) => !(isObject(o) && deepEqual(o[key], k)));
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        throw new PatchApplyError('merging lists cannot yet be specified in the patch');
      } else {
        throw badRequest(`Unknown patch type: ${brief(directive)} in map: ${brief(el)}`);
      }
    }
    if (replace) return plain.map((el) => this.fresh(el, path));

    const merged = [...base];
    for (const el of plain) {
      const k = keyOf(el, 'map');
      const i = merged.findIndex((o) => isObject(o) && deepEqual(o[key], k));
      const found = i >= 0 ? merged[i] : undefined;
      if (isObject(found)) merged[i] = this.mergeMap(found, el, path);
      else merged.push(this.fresh(el, path));
    }
    return this.normalize(merged, plain, base, key);
  }

  /** $setElementOrder: the patch's order for the items it names; server-only items keep their places. */
  private enforceOrder(merged: JsonValue[], order: JsonValue[], before: JsonValue[], path: string): JsonValue[] {
    const strategy = listStrategy(this.kind, path);
    const key = strategy && 'mergeKey' in strategy ? strategy.mergeKey : undefined;
    if (key === undefined && merged.some(isObject)) return merged;
    return this.normalize(merged, order, before, key);
  }

  /**
   * Go's normalizeElementOrder: items named in patchOrder sorted by it, the rest by
   * serverOrder, then interleaved so each keeps its relative order.
   */
  private normalize(merged: JsonValue[], patchOrder: JsonValue[], serverOrder: JsonValue[], key: string | undefined): JsonValue[] {
    const idOf = (v: JsonValue): JsonValue | undefined => (key === undefined ? v : isObject(v) ? v[key] : undefined);
    const indexIn = (list: JsonValue[], v: JsonValue): number => {
      const id = idOf(v);
      return id === undefined ? -1 : list.findIndex((x) => deepEqual(idOf(x), id));
    };
    const byIndexIn = (list: JsonValue[]) => (a: JsonValue, b: JsonValue): number => {
      const ia = indexIn(list, a);
      const ib = indexIn(list, b);
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || 0;
    };
    const patchItems = merged.filter((v) => indexIn(patchOrder, v) >= 0).sort(byIndexIn(patchOrder));
    const serverOnly = merged.filter((v) => indexIn(patchOrder, v) < 0).sort(byIndexIn(serverOrder));

    // mergeSortedSlice: a server-only item goes first only if the live list had it before the patch item.
    const out: JsonValue[] = [];
    let i = 0;
    let j = 0;
    while (i < serverOnly.length || j < patchItems.length) {
      const left = serverOnly[i];
      const right = patchItems[j];
      if (right === undefined) out.push(serverOnly[i++]!);
      else if (left === undefined) out.push(patchItems[j++]!);
      else {
        const li = indexIn(serverOrder, left);
        const ri = indexIn(serverOrder, right);
        if (li >= 0 && ri >= 0 && li < ri) out.push(serverOnly[i++]!);
        else out.push(patchItems[j++]!);
      }
    }
    return out;
  }
}

export function applyStrategicMergePatch(original: JsonObject, patch: JsonValue, kind: string): JsonObject {
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  return new Merger(kind).mergeMap(clone(original), patch, '');
}
