// Guards every decoded request body passes before anything walks it: a depth limit
// (our walkers recurse; Go's decoder refuses nesting past 10000 with "exceeded max
// depth"), no cycles (a YAML alias may point at its own anchor), and no "__proto__"
// keys (JSON.parse makes them own properties that object spreads and assignments
// turn into prototype changes). Source: encoding/json scanner.go (maxNestingDepth).

import { badRequest } from '../core/errors.ts';

/**
 * Deeper than any Kubernetes object needs (they stay under ~20 levels) and shallow
 * enough that no recursive walker in kubesim overflows the stack. Go allows 10000.
 */
export const MAX_DEPTH = 1000;

/**
 * Check a freshly decoded value in place, iteratively: throws 400 (with `prefix`
 * before the reason) when it is too deep or cyclic, and deletes "__proto__" keys.
 */
export function guardDecoded(value: unknown, prefix: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  // Objects on the current path are not tracked (that needs recursion); a cycle
  // simply never ends, so it trips the depth limit like a very deep document.
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_DEPTH) throw badRequest(`${prefix}exceeded max depth`);
    if (Object.hasOwn(v, '__proto__')) delete (v as Record<string, unknown>)['__proto__'];
    for (const child of Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
}
