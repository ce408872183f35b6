// metav1.LabelSelector matching (matchLabels AND matchExpressions). An empty
// selector matches nothing here: workload validation refuses it anyway.
// Source: k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector)

import { arr, rec, recs, str, strMap, strs } from './obj.ts';

export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const sel = rec(selector);
  if (!sel) return false;
  const ml = strMap(sel.matchLabels);
  const exprs = recs(sel.matchExpressions);
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false;
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of exprs) {
    const key = str(e.key) ?? '';
    const values = strs(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (str(e.operator)) {
      case 'In': if (!has || !values.includes(labels[key] ?? '')) return false; break;
      case 'NotIn': if (has && values.includes(labels[key] ?? '')) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return arr(sel.matchExpressions).length === exprs.length;
}
