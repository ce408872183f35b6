// Earlier attempts, newest first, each opening on its own page.
import { fill, h } from './dom.ts';
import type { AttemptState } from './state.ts';
import type { PageStore } from './store.ts';

function label(a: AttemptState): string {
  if (a.status === 'queued' || a.status === 'running') return 'grading…';
  if (a.status === 'interrupted') return 'interrupted';
  return `${a.result ?? ''} · ${a.score} / ${a.maxScore}`;
}

export function historyPanel(root: HTMLElement, store: PageStore): void {
  const render = () => {
    if (store.history.length === 0) {
      fill(root, h('p', { class: 'muted' }, 'No attempts yet. Each Check my work is kept here.'));
      return;
    }
    fill(root,
      h('ol', { class: 'history', 'aria-label': 'Attempts' },
        store.history.map((a) =>
          h('li', { class: `history-${a.result ?? a.status}` },
            h('a', { href: `/attempts/${a.id}` }, `Attempt ${a.id}`), ' ',
            h('time', { datetime: a.createdAt }, new Date(a.createdAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })), ' ',
            h('span', { class: 'history-result' }, label(a))))));
  };
  store.subscribe(render);
  render();
}
