// Plain JSON values and the few helpers every patch flavour needs. Patch bodies
// are outside input, so nothing here trusts a shape without checking it.

import { parse as parseYaml } from 'yaml';
import { StatusError, badRequest } from '../../core/errors.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Check that an already-decoded value is plain JSON (no undefined, functions,
 * NaN, class instances) and return it typed. Throws 400 otherwise.
 */
export function asJson(v: unknown, where = 'patch'): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw badRequest(`${where}: numbers must be finite`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => asJson(x, where));
  if (typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) out[k] = asJson(x, where);
      return out;
    }
  }
  throw badRequest(`${where}: not a JSON value`);
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return undefined;
}

/** A patch body as raw text/bytes (parsed here) or as an already-decoded value. */
export function decodeJsonBody(body: unknown): JsonValue {
  const text = bodyText(body);
  if (text === undefined) return asJson(body);
  try {
    return asJson(JSON.parse(text));
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** YAML (a superset of JSON) for server-side apply bodies. */
export function decodeYamlBody(body: unknown): JsonValue {
  const text = bodyText(body);
  if (text === undefined) return asJson(body);
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
  return asJson(parsed ?? {});
}

export function clone<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

/** Short JSON for error messages, so a giant value never floods a Status. */
export function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
