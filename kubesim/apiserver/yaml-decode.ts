// YAML request bodies, decoded without the `yaml` package's two traps: its composer
// recurses once per nesting level, and a few thousand `[` overflowed the stack and then
// crashed the whole process (V8 "RegExpCompiler Allocation failed", uncatchable); and
// its uniqueKeys check compares every key with every other, seconds for a 20,000-key
// mapping. Depth is checked on the CST, which the parser builds without recursion; a
// repeated key keeps the last value, as the apiserver's YAML-to-JSON decode does.
// Source: sigs.k8s.io/yaml (YAMLToJSON), encoding/json scanner.go (maxNestingDepth).
import { Composer, isMap, isPair, isScalar, isSeq, Parser, type CST, type Node } from 'yaml';

/** Far deeper than any object (they stay under ~20 levels), far from the composer's stack limit (~800). */
export const MAX_YAML_DEPTH = 300;
/** The `yaml` package's own default: alias expansion past this is a billion-laughs document. */
const MAX_ALIAS_COUNT = 100;

function depthOver(tokens: readonly CST.Token[], limit: number): boolean {
  const stack: { token: CST.Token | null | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push({ token: token.value, depth });
      continue;
    }
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > limit) return true;
    for (const item of token.items) {
      if ('key' in item) stack.push({ token: item.key, depth: depth + 1 });
      if ('value' in item) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return false;
}

/** The `yaml` package's uniqueKeys check, in one pass with a Set per mapping. */
function assertUniqueKeys(root: Node | null): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) stack.push(...node.items);
    else if (isPair(node)) stack.push(node.value);
    else if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) throw new Error('Map keys must be unique');
        seen.add(key);
        stack.push(pair.value);
      }
    }
  }
}

/**
 * Like `yaml`'s parse(): one document to plain JS; throws an Error naming the problem.
 * uniqueKeys refuses a repeated key (server-side apply); otherwise the last one wins.
 */
export function parseYamlBody(text: string, options: { uniqueKeys?: boolean } = {}): unknown {
  const tokens = Array.from(new Parser().parse(text));
  if (depthOver(tokens, MAX_YAML_DEPTH)) throw new Error('exceeded max depth');
  const docs = Array.from(new Composer({ uniqueKeys: false }).compose(tokens));
  const doc = docs[0];
  if (!doc) return null;
  if (docs.length > 1) throw new Error('Source contains multiple documents; please use YAML.parseAllDocuments()');
  const error = doc.errors[0];
  if (error) throw error;
  if (options.uniqueKeys) assertUniqueKeys(doc.contents);
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}
