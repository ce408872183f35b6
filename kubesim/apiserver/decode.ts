// Guards every decoded request body passes before anything walks it: a depth limit
// (our walkers recurse; Go's decoder refuses nesting past 10000 with "exceeded max
// depth"), no cycles (a YAML alias may point at its own anchor), and no "__proto__"
// keys (JSON.parse makes them own properties that object spreads and assignments
// turn into prototype changes). Source: encoding/json scanner.go (maxNestingDepth).

import { CST, Lexer, parse as parseYaml } from 'yaml';
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

/**
 * Far more than any manifest needs (its indentation stays under ~40 columns), and
 * far below where the yaml library's recursive composer overflows the stack; an
 * overflow there may hit V8 while it compiles a regular expression, which aborts
 * the whole process instead of throwing.
 */
export const MAX_YAML_NESTING = 100;

/**
 * An upper-bound estimate of a YAML document's nesting, from the yaml library's
 * lexer (a state machine, no recursion): open flow collections, plus each line's
 * indentation and block indicators ("- ", "? ", ": "). Quoted and block scalars are
 * single tokens, so brackets inside strings do not count.
 */
export function yamlNesting(text: string): number {
  let flow = 0;
  let line = 0;
  let lineStart = true;
  let deepest = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      line = 0;
      lineStart = true;
      continue;
    }
    if (type === 'space' && lineStart) line += token.length;
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind') line++;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    if (type !== 'space') lineStart = false;
    deepest = Math.max(deepest, flow + line);
  }
  return deepest;
}

/** Parse outside YAML (or JSON sent as YAML): 400 with `prefix` for anything too deep, cyclic or malformed. */
export function parseYamlInput(text: string, prefix: string, options: { uniqueKeys?: boolean } = {}): unknown {
  if (yamlNesting(text) > MAX_YAML_NESTING) throw badRequest(`${prefix}exceeded max depth`);
  let parsed: unknown;
  try {
    parsed = parseYaml(text, options);
  } catch (e) {
    throw badRequest(`${prefix}${e instanceof Error ? e.message : String(e)}`);
  }
  guardDecoded(parsed, prefix);
  return parsed;
}
