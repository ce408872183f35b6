// The progress table: a row per learner, a column per exercise. Each cell says its
// status with colour, icon and word, the best score, attempts, and a stuck flag; every
// column sorts from its header button (aria-sort says how it is sorted).
import { h } from '../dom.ts';
import type { CellStatus, Matrix, MatrixRow } from './state.ts';

export type SortKey = 'learner' | 'total' | 'activity' | `exercise:${string}`;
export interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const ICON: Record<CellStatus, string> = { passed: '✓', failed: '✗', 'error-only': '⚠', 'not started': '○' };
const STATUS_RANK: Record<CellStatus, number> = { passed: 3, failed: 2, 'error-only': 1, 'not started': 0 };

export function ago(iso: string | null, now: number): string {
  if (iso === null) return '—';
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 1440) return `${Math.round(minutes / 60)} h ago`;
  return iso.slice(0, 10);
}

function compare(sort: Sort, a: MatrixRow, b: MatrixRow, index: Map<string, number>): number {
  let order = 0;
  if (sort.key === 'learner') order = a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' });
  else if (sort.key === 'total') order = a.totalScore - b.totalScore;
  else if (sort.key === 'activity') order = Date.parse(a.lastActivityAt ?? '1970-01-01') - Date.parse(b.lastActivityAt ?? '1970-01-01');
  else {
    const i = index.get(sort.key.slice('exercise:'.length)) ?? 0;
    const x = a.cells[i]!;
    const y = b.cells[i]!;
    order = (x.bestScore ?? -1) - (y.bestScore ?? -1) || STATUS_RANK[x.status] - STATUS_RANK[y.status];
  }
  return (sort.descending ? -order : order) || a.displayName.localeCompare(b.displayName) || a.userId - b.userId;
}

export function sortedRows(matrix: Matrix, sort: Sort): MatrixRow[] {
  const index = new Map(matrix.exercises.map((e, i) => [e.id, i]));
  return [...matrix.rows].sort((a, b) => compare(sort, a, b, index));
}

function headerCell(label: string, key: SortKey, sort: Sort, onSort: (key: SortKey) => void, extra?: Node): HTMLTableCellElement {
  const active = sort.key === key;
  return h('th', { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' },
    h('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: () => onSort(key) },
      label, h('span', { 'aria-hidden': 'true', class: 'sort-mark' }, active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕')),
    extra ?? null);
}

export function matrixTable(matrix: Matrix, sort: Sort, now: number, onSort: (key: SortKey) => void): HTMLTableElement {
  const base = `/instructor/classes/${matrix.class.id}`;
  const head = h('tr', {},
    headerCell('Learner', 'learner', sort, onSort),
    matrix.exercises.map((e) => headerCell(e.title, `exercise:${e.id}`, sort, onSort)),
    headerCell('Total', 'total', sort, onSort),
    headerCell('Last activity', 'activity', sort, onSort));
  const rows = sortedRows(matrix, sort).map((row) => h('tr', { 'data-user': row.userId },
    h('th', { scope: 'row', class: 'learner' },
      h('a', { href: `${base}/learners/${row.userId}` }, row.displayName),
      row.activeNow ? h('span', { class: 'badge active-now' }, h('span', { 'aria-hidden': 'true' }, '● '), 'active now') : null),
    row.cells.map((c) => h('td', { class: `cell cell-${c.status.replace(' ', '-')}` },
      h('span', { class: 'cell-status' }, h('span', { 'aria-hidden': 'true' }, `${ICON[c.status]} `), c.status),
      c.bestScore !== null ? h('span', { class: 'cell-score' }, `${c.bestScore} / ${c.maxScore}`) : null,
      c.attempts > 0
        ? h('a', { class: 'cell-attempts', href: c.latestAttemptId ? `${base}/attempts/${c.latestAttemptId}` : `${base}/learners/${row.userId}` },
          `${c.attempts} attempt${c.attempts === 1 ? '' : 's'}`)
        : null,
      c.stuckOn ? h('span', { class: 'badge stuck' }, h('span', { 'aria-hidden': 'true' }, '⚑ '), 'stuck on ', h('code', {}, c.stuckOn)) : null,
      c.environment ? h('span', { class: 'cell-env small muted' }, `env ${c.environment.status}`) : null)),
    h('td', { class: 'total' }, `${row.totalScore}`, h('span', { class: 'small muted' }, ` · ${row.passed} passed`)),
    h('td', { class: 'activity' }, ago(row.lastActivityAt, now))));
  return h('table', { class: 'data matrix', 'aria-label': 'Class progress' },
    h('thead', {}, head),
    h('tbody', {}, rows.length > 0 ? rows : h('tr', {}, h('td', { colspan: matrix.exercises.length + 3 }, 'No learners yet: share the join link.'))));
}
