// Check my work: start an attempt and show each check the moment it finishes (the
// attempt's Server-Sent Events), then the score. pass / fail / error / skipped each have
// their own colour, icon and word; a fail shows its message and hint, with the evidence
// folded away; an error says it is not the learner's fault.
import { api, errorText } from './api.ts';
import { type Child, fill, h } from './dom.ts';
import type { AttemptState, CheckResultState } from './state.ts';
import { codeSpans, hintHeading, STATUS_EXPLAINED, STATUS_ICON } from './status.ts';
import type { PageStore } from './store.ts';

/** Grader text marks commands and names with `backticks`: show them as code. */
function withCode(text: string): Child[] {
  return codeSpans(text).map((part) => (part.code ? h('code', {}, part.text) : part.text));
}

function hasEvidence(evidence: unknown): boolean {
  if (evidence === null || evidence === undefined) return false;
  if (typeof evidence === 'object') return Object.keys(evidence).length > 0;
  return true;
}

export function checkItem(check: { title: string; points: number }, result?: CheckResultState, waitingWord = 'not checked yet'): HTMLLIElement {
  if (!result) {
    return h('li', { class: 'check check-waiting' },
      h('div', { class: 'check-head' },
        h('span', { class: 'status-icon', 'aria-hidden': 'true' }, STATUS_ICON.waiting),
        h('span', { class: 'check-title' }, check.title), ' ',
        h('span', { class: 'status-word' }, waitingWord), ' ',
        h('span', { class: 'points' }, `${check.points} pts`)));
  }
  const s = result.status;
  return h('li', { class: `check check-${s}` },
    h('div', { class: 'check-head' },
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }, STATUS_ICON[s]), ' ',
      h('span', { class: 'check-title' }, result.title), ' ',
      h('span', { class: 'status-word' }, s), ' ',
      h('span', { class: 'points' }, `${result.points} / ${result.maxPoints}`)),
    h('p', { class: 'check-message' }, withCode(result.message)),
    s === 'error' ? h('p', { class: 'not-your-fault' }, STATUS_EXPLAINED.error) : null,
    s === 'fail' && result.hint ? h('p', { class: 'hint' }, h('strong', {}, `${hintHeading(result.cause)} `), withCode(result.hint)) : null,
    s !== 'pass' && hasEvidence(result.evidence)
      ? h('details', { class: 'evidence' }, h('summary', {}, 'Evidence'), h('pre', { tabindex: 0 }, JSON.stringify(result.evidence, null, 2)))
      : null);
}

function verdictText(a: AttemptState): string {
  if (a.status === 'interrupted') return 'Grading was interrupted (the server restarted). This is not a grade: check again.';
  if (a.result === 'passed') return `Passed: ${a.score} of ${a.maxScore} points. Well done!`;
  if (a.result === 'error') return `${a.score} of ${a.maxScore} points so far, but kubelab could not run every check. That is not your fault: check again in a moment.`;
  return `${a.score} of ${a.maxScore} points. Not there yet: open the failed checks below for what was expected and what was found.`;
}

export function gradePanel(root: HTMLElement, store: PageStore): void {
  const checks = store.page.checks;
  const button = h('button', { type: 'button', class: 'button primary big' }, 'Check my work');
  const why = h('p', { class: 'muted' });
  const progress = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const verdict = h('div', { 'aria-live': 'polite' });
  const list = h('ul', { class: 'checks', 'aria-label': 'Check results' });
  let running = false;
  let source: EventSource | undefined;

  const show = (results: Map<string, CheckResultState>, waitingWord?: string) =>
    fill(list, checks.map((c) => checkItem(c, results.get(c.id), waitingWord)));

  const follow = (attempt: AttemptState) => {
    source?.close();
    const results = new Map<string, CheckResultState>();
    show(results, 'waiting');
    fill(verdict);
    const es = new EventSource(`/api/v1/attempts/${attempt.id}/events`);
    source = es;
    running = true;
    render();
    const finish = (final: AttemptState | null) => {
      es.close();
      running = false;
      if (final) {
        store.recordAttempt(final);
        fill(verdict, h('p', { class: `verdict verdict-${final.result ?? final.status}` }, verdictText(final)));
        progress.textContent = final.result === 'passed' ? 'All checks passed.' : 'Grading finished.';
      }
      render();
    };
    es.addEventListener('check', (event) => {
      const result = JSON.parse((event as MessageEvent<string>).data) as CheckResultState;
      results.set(result.checkId, result);
      show(results, 'waiting');
      progress.textContent = `Checking… ${results.size} of ${checks.length} checks done.`;
    });
    es.addEventListener('attempt', (event) => finish(JSON.parse((event as MessageEvent<string>).data) as AttemptState));
    es.addEventListener('error', () => {
      // The stream ends after the `attempt` event; any other end is a lost connection.
      if (!running) return;
      progress.textContent = 'Lost the connection while grading. The attempt goes on: open it from the history below.';
      finish(null);
    });
  };

  button.addEventListener('click', async () => {
    if (!store.ready || running) return;
    running = true;
    render();
    progress.textContent = 'Starting the checks…';
    try {
      const answer = await api<{ attempt: AttemptState }>('POST', `/exercises/${encodeURIComponent(store.page.exerciseId)}/attempts`);
      store.recordAttempt(answer.attempt);
      follow(answer.attempt);
    } catch (error) {
      running = false;
      progress.textContent = '';
      fill(verdict, h('p', { class: 'callout error', role: 'alert' }, errorText(error)));
      render();
    }
  });

  function render(): void {
    button.disabled = running || !store.ready;
    button.textContent = running ? 'Checking…' : 'Check my work';
    why.textContent = store.ready ? 'Grades what is in your namespace right now, from inside the cluster.' : 'Start your environment first, then build what the exercise asks.';
  }

  fill(root, h('div', { class: 'actions' }, button), why, progress, verdict, list);
  show(new Map());
  store.subscribe(render);
  render();

  // On load, show the latest attempt's results, so a reload does not lose them.
  const latest = store.history[0];
  if (latest) {
    if (latest.status === 'queued' || latest.status === 'running') follow(latest);
    else
      void api<{ attempt: AttemptState; checks: CheckResultState[] }>('GET', `/attempts/${latest.id}`)
        .then((view) => {
          if (running) return;
          show(new Map(view.checks.map((c) => [c.checkId, c])));
          fill(verdict, h('p', { class: `verdict verdict-${view.attempt.result ?? view.attempt.status}` }, `Last attempt: ${verdictText(view.attempt)}`));
        })
        .catch((error: unknown) => fill(verdict, h('p', { class: 'callout error' }, errorText(error))));
  }
}
