// Reading stored objects (plain JSON) without trusting their shape, and the label
// formatting printers.go uses: labels.FormatLabels, metav1.FormatLabelSelector.

export type Json = Record<string, unknown>;

export function rec(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function recs(v: unknown): Json[] {
  return list(v).map(rec);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** Dotted path lookup: at(pod, 'status.phase'). */
export function at(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) v = rec(v)[k];
  return v;
}

/** labels.Set.String(): sorted "k=v" pairs; printers show "<none>" when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(rec(m)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const s = entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
  return s || '<none>';
}

/** labels.Selector.String() for a metav1.LabelSelector; "" for an empty or missing one. */
export function selectorString(sel: unknown): string {
  const s = rec(sel);
  const parts: [string, string][] = [];
  for (const [k, v] of Object.entries(rec(s.matchLabels))) parts.push([k, `${k}=${str(v)}`]);
  for (const e of recs(s.matchExpressions)) {
    const key = str(e.key);
    const values = list(e.values).map(str).sort();
    switch (str(e.operator)) {
      case 'In':
        parts.push([key, `${key} in (${values.join(',')})`]);
        break;
      case 'NotIn':
        parts.push([key, `${key} notin (${values.join(',')})`]);
        break;
      case 'Exists':
        parts.push([key, key]);
        break;
      case 'DoesNotExist':
        parts.push([key, `!${key}`]);
        break;
    }
  }
  // internalSelector sorts its requirements by key.
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => p)
    .join(',');
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: unknown): string {
  return selectorString(sel) || '<none>';
}

/** layoutContainerCells: container names and images, comma-joined. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = recs(rec(podSpec).containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** listWithMoreString / formatEndpoints: at most 3 items, then "+ N more...". */
export function listWithMore(items: string[], empty: string, max = 3): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}
