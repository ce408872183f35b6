// `needs` between checks must form a DAG: a check is skipped when one it needs
// did not pass, so a cycle would make every check in it unreachable.

export interface NeedsNode {
  id: string;
  needs: readonly string[];
}

/** The first cycle found, as ids with the first repeated at the end (`a → b → a`); undefined if none. */
export function findNeedsCycle(nodes: readonly NeedsNode[]): string[] | undefined {
  const needsOf = new Map(nodes.map((n) => [n.id, n.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of needsOf.get(id) ?? []) {
      // Unknown ids are reported separately; here they are simply not followed.
      if (!needsOf.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };

  for (const n of nodes) {
    const cycle = visit(n.id);
    if (cycle) return cycle;
  }
  return undefined;
}
