// RFC 6902 JSON Patch (application/json-patch+json), what client-node's generated
// patch* methods send by default. Semantics follow RFC 6902 / RFC 6901; reasons
// are worded like gopkg.in/evanphx/json-patch.v4, which the apiserver uses.

import { badRequest } from '../../core/errors.ts';
import { PatchApplyError } from './errors.ts';
import { type JsonObject, type JsonValue, brief, clone, deepEqual, isObject } from './json.ts';

type OpName = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
const OPS: readonly string[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

interface Operation {
  op: OpName;
  path: string;
  from?: string;
  value?: JsonValue;
}

// Source: apiserver handlers/patch.go maxJSONPatchOperations
const MAX_OPERATIONS = 10_000;

function parseOperations(body: JsonValue): Operation[] {
  if (!Array.isArray(body)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  if (body.length > MAX_OPERATIONS) {
    throw badRequest(`The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${body.length}`);
  }
  return body.map((raw, i) => {
    if (!isObject(raw)) throw new PatchApplyError(`operation ${i} is not an object: ${brief(raw)}`);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !OPS.includes(op)) throw new PatchApplyError(`Unexpected kind: ${brief(op)}`);
    if (typeof path !== 'string') throw new PatchApplyError(`${op} operation missing path`);
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') throw new PatchApplyError(`${op} operation missing from`);
    if ((op === 'add' || op === 'replace' || op === 'test') && !Object.hasOwn(raw, 'value')) {
      throw new PatchApplyError(`${op} operation missing value`);
    }
    return { op: op as OpName, path, from: typeof from === 'string' ? from : undefined, value: raw.value };
  });
}

/** RFC 6901: "" is the whole document; "/a~1b/~0c" is keys "a/b" then "~c". */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchApplyError(`JSON pointer must be empty or start with "/": ${brief(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(segment: string, length: number, allowEnd: boolean): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
  const n = Number(segment);
  return n < length || (allowEnd && n === length) ? n : undefined;
}

type Container = JsonObject | JsonValue[];

/** Walk to the parent of the pointer's last segment. */
function parentOf(doc: JsonValue, segments: string[], fail: () => never): { parent: Container; key: string } {
  let node: JsonValue = doc;
  for (const seg of segments.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = arrayIndex(seg, node.length, false);
      if (i === undefined) fail();
      node = node[i]!;
    } else if (isObject(node) && Object.hasOwn(node, seg)) {
      node = node[seg]!;
    } else {
      fail();
    }
  }
  if (!Array.isArray(node) && !isObject(node)) fail();
  return { parent: node, key: segments[segments.length - 1]! };
}

function get(doc: JsonValue, pointer: string, op: string): JsonValue {
  let node: JsonValue = doc;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      const i = arrayIndex(seg, node.length, false);
      if (i === undefined) throw new PatchApplyError(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
      node = node[i]!;
    } else if (isObject(node) && Object.hasOwn(node, seg)) {
      node = node[seg]!;
    } else {
      throw new PatchApplyError(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
    }
  }
  return node;
}

function add(doc: JsonValue, pointer: string, value: JsonValue, op = 'add'): JsonValue {
  const segments = parsePointer(pointer);
  if (segments.length === 0) return value;
  const fail: () => never = () => {
    throw new PatchApplyError(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  };
  const { parent, key } = parentOf(doc, segments, fail);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : arrayIndex(key, parent.length, true);
    if (i === undefined) throw new PatchApplyError(`${op} operation does not apply: index out of range: "${pointer}"`);
    parent.splice(i, 0, value);
  } else {
    parent[key] = value;
  }
  return doc;
}

function remove(doc: JsonValue, pointer: string, op = 'remove'): JsonValue {
  const segments = parsePointer(pointer);
  const fail: () => never = () => {
    throw new PatchApplyError(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
  };
  if (segments.length === 0) throw new PatchApplyError(`${op} operation does not apply: cannot remove the whole document`);
  const { parent, key } = parentOf(doc, segments, fail);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    if (i === undefined) fail();
    parent.splice(i, 1);
  } else {
    if (!Object.hasOwn(parent, key)) fail();
    delete parent[key];
  }
  return doc;
}

function applyOne(doc: JsonValue, o: Operation): JsonValue {
  switch (o.op) {
    case 'add':
      return add(doc, o.path, clone(o.value ?? null));
    case 'remove':
      return remove(doc, o.path);
    case 'replace': {
      if (o.path === '') return clone(o.value ?? null);
      get(doc, o.path, 'replace');
      const removed = remove(doc, o.path, 'replace');
      return add(removed, o.path, clone(o.value ?? null), 'replace');
    }
    case 'move': {
      const from = o.from ?? '';
      if (o.path.startsWith(`${from}/`)) {
        throw new PatchApplyError(`move operation does not apply: "${from}" is a prefix of "${o.path}"`);
      }
      const value = get(doc, from, 'move');
      return add(remove(doc, from, 'move'), o.path, value, 'move');
    }
    case 'copy':
      return add(doc, o.path, clone(get(doc, o.from ?? '', 'copy')), 'copy');
    case 'test': {
      let actual: JsonValue | undefined;
      try {
        actual = get(doc, o.path, 'test');
      } catch (err) {
        if (!(err instanceof PatchApplyError)) throw err;
        actual = undefined;
      }
      if (actual === undefined ? o.value !== null : !deepEqual(actual, o.value)) {
        throw new PatchApplyError(`testing value ${o.path} failed: test failed`);
      }
      return doc;
    }
  }
}

/** Apply all operations in order, atomically (the original is never touched). */
export function applyJsonPatch(original: JsonValue, body: JsonValue): JsonValue {
  const ops = parseOperations(body);
  let doc = clone(original);
  for (const o of ops) doc = applyOne(doc, o);
  return doc;
}
