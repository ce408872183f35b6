// Careful narrowing of the plain-JSON objects the store keeps. Every controller reads
// objects through these helpers instead of casting, so a malformed field reads as
// "absent" rather than crashing a reconcile loop.

export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function rec(v: unknown): Rec | undefined {
  return isRec(v) ? v : undefined;
}

/** The nested record at obj[key], created when absent (for building/mutating). */
export function child(obj: Rec, key: string): Rec {
  const found = obj[key];
  if (isRec(found)) return found;
  const made: Rec = {};
  obj[key] = made;
  return made;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function recs(v: unknown): Rec[] {
  return arr(v).filter(isRec);
}

export function strs(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRec(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Walk a path of keys; undefined as soon as one step is not a record. */
export function at(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isRec(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** An IntOrString field (targetPort, maxSurge): number, string, or undefined. */
export function intOrString(v: unknown): number | string | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** Kubernetes timestamps: RFC 3339 at second precision. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Same as timestamp, keeping microseconds (MicroTime fields such as Event.eventTime). */
export function microTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** Stable JSON: object keys sorted, so hashes and comparisons do not depend on key order. */
/**
 * Whether two JSON values are the same, keys in any order, a key holding undefined
 * counting as absent (as in JSON). The kubelet compares every Pod's status on every
 * probe tick: this exits at the first difference instead of serialising both.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isRec(a) && isRec(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRec(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
