// The class dashboard's island: draws the progress table from the embedded matrix, keeps
// it current from the class's event stream, sorts it, and runs bulk environment actions.
import { api, errorText } from './api.ts';
import './common.ts';
import { byId, fill, h } from './dom.ts';
import { matrixTable, type Sort, type SortKey } from './dashboard/matrix-table.ts';
import type { DashboardState, Matrix } from './dashboard/state.ts';

const state = JSON.parse(byId('dashboard-state').textContent ?? '{}') as DashboardState;
let matrix: Matrix = state.matrix;
let sort: Sort = { key: 'learner', descending: false };
const container = byId('matrix');
const liveState = byId('live-state');

function draw(): void {
  // Redrawing replaces the buttons; keep keyboard focus on the same sort button.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['sort'] : undefined;
  fill(container, matrixTable(matrix, sort, Date.now(), (key: SortKey) => {
    sort = { key, descending: sort.key === key ? !sort.descending : key !== 'learner' };
    draw();
  }));
  if (focused) container.querySelector<HTMLElement>(`[data-sort="${CSS.escape(focused)}"]`)?.focus();
}
draw();

const events = new EventSource(`/api/v1/classes/${matrix.class.id}/events`);
events.addEventListener('matrix', (event) => {
  matrix = JSON.parse((event as MessageEvent<string>).data) as Matrix;
  draw();
  byId('learner-count').textContent = String(matrix.rows.length);
  container.dataset['updated'] = String(Date.now());
  liveState.textContent = `Live · updated ${new Date().toLocaleTimeString()}`;
});
events.addEventListener('error', () => {
  liveState.textContent = 'Connection lost: reconnecting…';
});

const bulkForm = byId<HTMLFormElement>('bulk-form');
const bulkResult = byId('bulk-result');
bulkForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(bulkForm);
  const exerciseId = String(data.get('exerciseId'));
  const action = String(data.get('action'));
  const title = matrix.exercises.find((e) => e.id === exerciseId)?.title ?? exerciseId;
  const what = action === 'extend' ? 'Extend' : action === 'reset' ? 'Reset (empty)' : 'Delete';
  if (action !== 'extend' && !window.confirm(`${what} every learner’s environment for “${title}”? Their objects in it are removed.`)) return;
  const button = bulkForm.querySelector('button');
  if (button) button.disabled = true;
  fill(bulkResult, h('p', {}, 'Working…'));
  try {
    const { results } = await api<{ results: { displayName: string; outcome: string; message?: string }[] }>('POST', `/classes/${matrix.class.id}/environments/${exerciseId}/${action}`);
    const done = results.filter((r) => r.outcome === 'done').length;
    fill(bulkResult,
      h('p', {}, `${what}: done for ${done} of ${results.length} learner${results.length === 1 ? '' : 's'}.`),
      h('ul', { class: 'bulk-list' }, results.map((r) => h('li', {}, `${r.displayName}: ${r.outcome}${r.message ? ` (${r.message})` : ''}`))));
  } catch (error) {
    fill(bulkResult, h('p', { class: 'callout error', role: 'alert' }, errorText(error)));
  } finally {
    if (button) button.disabled = false;
  }
});
