// Bounds on learner YAML, checked on the parsed tree before anything expands it. The
// `yaml` package's own duplicate-key check (uniqueKeys) compares every key with every
// other key of its mapping, so a 20,000-key ConfigMap took seconds of one shared event
// loop; here one pass with a Set per mapping does it, and the same pass counts nodes,
// depth and aliases so no document costs more than its size suggests.
import { isAlias, isMap, isPair, isScalar, isSeq, type CST, type Node, type Pair } from 'yaml';

export interface YamlLimits {
  /** Nodes (scalars, mappings, sequences, aliases) in the whole request. */
  maxNodes: number;
  /** Nesting of mappings and sequences. */
  maxDepth: number;
  /** Alias nodes (`*name`) in one document; the billion-laughs attack needs many. */
  maxAliases: number;
  /** Characters in one mapping key (Kubernetes names and data keys stop at 253). */
  maxKeyLength: number;
}

export const YAML_LIMITS: YamlLimits = {
  maxNodes: 100_000,
  maxDepth: 64,
  maxAliases: 100,
  maxKeyLength: 1024,
};

/** Counts shared by every document of one request. */
export interface Budget {
  nodes: number;
}

export interface ShapeProblem {
  field: string;
  message: string;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  // A `!!binary` key decodes to bytes, which a JSON object cannot hold as a key either.
  const value = key.value;
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value) ? String(value) : undefined;
}

/**
 * Walk one document's tree iteratively (deep nesting cannot overflow the stack) and
 * return its first problem: too many nodes, too deep, too many aliases, a non-scalar or
 * over-long key, or a key given twice in one mapping.
 */
export function checkShape(root: Node | null | undefined, budget: Budget, limits: YamlLimits = YAML_LIMITS): ShapeProblem | undefined {
  if (!root) return undefined;
  let aliases = 0;
  const stack: { node: unknown; depth: number; path: string }[] = [{ node: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (++budget.nodes > limits.maxNodes) {
      return { field: '(body)', message: `too many YAML nodes: at most ${limits.maxNodes} values, keys and items per request` };
    }
    if (isAlias(node)) {
      if (++aliases > limits.maxAliases) {
        return { field: path || '(document)', message: `too many YAML aliases: at most ${limits.maxAliases} per document` };
      }
      continue;
    }
    // `[a: b]` holds a bare Pair, which toJS turns into a one-key mapping.
    if (!isMap(node) && !isSeq(node) && !isPair(node)) continue;
    if (depth >= limits.maxDepth) {
      return { field: path || '(document)', message: `nested too deeply: at most ${limits.maxDepth} levels of mappings and lists` };
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, path: `${path}[${i}]` }));
      continue;
    }
    const seen = new Set<string>();
    const pairs: readonly Pair[] = isPair(node) ? [node] : node.items;
    for (const pair of pairs) {
      const key = keyText(pair.key);
      if (key === undefined) {
        return { field: path || '(document)', message: 'a mapping key is not a plain value: Kubernetes objects use text keys only' };
      }
      const at = path ? `${path}.${key.slice(0, 64)}` : key.slice(0, 64);
      if (key.length > limits.maxKeyLength) {
        return { field: path || '(document)', message: `a key is ${key.length} characters long; at most ${limits.maxKeyLength}` };
      }
      if (seen.has(key)) return { field: at, message: `not valid YAML: key "${key.slice(0, 64)}" appears twice in one mapping` };
      seen.add(key);
      ++budget.nodes;
      stack.push({ node: pair.value, depth: depth + 1, path: at });
    }
  }
  return undefined;
}

/**
 * The deepest nesting of collections in the token stream, walked iteratively. The
 * `yaml` composer recurses once per level and overflows the stack near 800 levels (at
 * 50,000 it ran the process out of memory), so depth is checked on the CST, which the
 * parser builds without recursion, before composing.
 */
export function cstDepth(tokens: readonly CST.Token[], stopAt: number): number {
  let max = 0;
  const stack: { token: CST.Token | null | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const inner = depth + 1;
    max = Math.max(max, inner);
    if (max > stopAt) return max;
    for (const item of token.items) {
      if ('key' in item) stack.push({ token: item.key, depth: inner });
      if ('value' in item) stack.push({ token: item.value, depth: inner });
    }
  }
  return max;
}
