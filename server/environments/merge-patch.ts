// The patch `kubectl apply` would send, as a JSON merge patch (RFC 7386): set what the
// new manifest says, and null out what the previous apply set but the new one dropped.
// Fields nobody applied (server defaults, the clusterIP, status) are left alone.
// Merge patch replaces lists wholesale, which is what a learner editing a manifest means.
// https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#how-apply-calculates-differences-and-merges-changes

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Three-way patch from what was last applied, what is applied now and what is live.
 * Scalars are compared with the live object, so `kubectl scale` drift is undone like
 * kubectl does; lists are compared with the last-applied copy only, because live lists
 * carry server defaults (imagePullPolicy, protocol...) that would never compare equal.
 * `{}` means nothing to change.
 */
export function mergePatch(previous: unknown, desired: unknown, live: unknown): Record<string, Json> {
  const before = isObject(previous) ? previous : {};
  const after = isObject(desired) ? desired : {};
  const now = isObject(live) ? live : {};
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key) && Object.hasOwn(now, key)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (isObject(value)) {
      if (!isObject(now[key])) {
        patch[key] = value;
        continue;
      }
      const sub = mergePatch(before[key], value, now[key]);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(value)) {
      const reference = Object.hasOwn(before, key) ? before[key] : now[key];
      if (!deepEqual(reference, value)) patch[key] = value;
    } else if (!deepEqual(now[key], value)) {
      patch[key] = value;
    }
  }
  return patch;
}

/** JSON with object keys sorted, so equal objects give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}
