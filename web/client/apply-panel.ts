// Apply YAML from the page, as `kubectl apply` would with the learner's kubeconfig: one
// line per object (created / configured / unchanged), or the error with where it is.
import { api, ApiError, errorText } from './api.ts';
import { fill, h } from './dom.ts';
import { envPath, type PageStore } from './store.ts';

interface ApplyResult {
  kind: string;
  name: string;
  namespace: string;
  action: 'created' | 'configured' | 'unchanged' | 'failed';
  message?: string;
}

const ACTION_ICON: Record<ApplyResult['action'], string> = { created: '+', configured: '~', unchanged: '=', failed: '✗' };

/**
 * The line each YAML document starts on (1-based), numbered as the server numbers them:
 * a `---` before any content opens the first document rather than an empty one.
 */
export function documentStartLines(text: string): number[] {
  const starts = [1];
  let content = false;
  text.split('\n').forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      if (content) starts.push(i + 2);
      else starts[0] = i + 2;
      content = true;
    } else if (!content && line.trim() !== '' && !line.trimStart().startsWith('#')) content = true;
  });
  return starts;
}

interface Problem {
  document: number;
  field: string;
  message: string;
}

function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiError)) return [];
  const problems = (error.details as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) ? (problems as Problem[]) : [];
}

/** Tab indents by two spaces; Escape hands Tab back to the browser for the next press. */
function indentOnTab(area: HTMLTextAreaElement): void {
  let tabMovesFocus = false;
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      tabMovesFocus = true;
      return;
    }
    if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || tabMovesFocus) {
      tabMovesFocus = false;
      return;
    }
    event.preventDefault();
    area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
  });
}

export function applyPanel(root: HTMLElement, store: PageStore): void {
  const path = `${envPath(store.page.exerciseId)}/apply`;
  const area = h('textarea', {
    id: 'yaml',
    class: 'code-input',
    rows: 14,
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    'aria-describedby': 'yaml-help',
    placeholder: 'apiVersion: apps/v1\nkind: Deployment\n…',
  });
  indentOnTab(area);
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Apply');
  const why = h('p', { class: 'muted' });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack', novalidate: true },
    h('label', { for: 'yaml' }, 'YAML'),
    h('p', { id: 'yaml-help', class: 'muted small' }, 'One or more manifests separated by ---. Tab indents; press Esc then Tab to leave the box.'),
    area, h('div', { class: 'actions' }, button), why, results);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!store.ready) return;
    button.disabled = true;
    fill(results, h('p', { class: 'status-line' }, 'Applying…'));
    try {
      const answer = await api<{ results: ApplyResult[]; summary: Record<string, number> }>('POST', path, { yaml: area.value });
      fill(results,
        answer.results.length === 0 ? h('p', {}, 'Nothing to apply: the box holds no manifests.') : null,
        h('ul', { class: 'apply-results', 'aria-label': 'Apply results' },
          answer.results.map((r) =>
            h('li', { class: `apply-${r.action}` },
              h('span', { class: 'apply-icon', 'aria-hidden': 'true' }, ACTION_ICON[r.action]), ' ',
              h('strong', {}, `${r.kind}/${r.name}`), ' ', r.action,
              r.message ? h('span', { class: 'apply-message' }, `: ${r.message}`) : null))));
    } catch (error) {
      const problems = problemsOf(error);
      const starts = documentStartLines(area.value);
      fill(results,
        h('div', { class: 'callout error', role: 'alert' },
          problems.length === 0
            ? errorText(error)
            : [
                h('p', {}, 'Nothing was applied: fix these first.'),
                h('ul', { class: 'problems' },
                  problems.map((p) =>
                    h('li', {},
                      p.document > 0 ? `Document ${p.document} (from line ${starts[p.document - 1] ?? '?'}), ` : '',
                      p.field.startsWith('(') ? '' : h('code', {}, p.field), p.field.startsWith('(') ? '' : ': ', p.message))),
              ]));
    } finally {
      render();
    }
  });

  function render(): void {
    button.disabled = !store.ready;
    why.textContent = store.ready ? '' : 'Start your environment first: the YAML is applied to it.';
  }
  store.subscribe(render);
  fill(root, form);
  render();
}
