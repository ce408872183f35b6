// The environment: start it, see its namespace and time left, extend, reset (after a
// confirmation), download the kubeconfig and the commands that use it.
import { api, ApiError, errorText } from './api.ts';
import { addCopyButtons } from './common.ts';
import { clockTime, timeLeft } from './countdown.ts';
import { fill, h } from './dom.ts';
import type { EnvironmentState } from './state.ts';
import { envPath, type PageStore } from './store.ts';

type Busy = null | 'starting' | 'extending' | 'resetting';

export function environmentPanel(root: HTMLElement, store: PageStore): void {
  const exerciseId = store.page.exerciseId;
  const path = envPath(exerciseId);
  const fileName = `kubelab-${exerciseId}.kubeconfig`;
  let busy: Busy = null;
  let notice: { text: string; kind: 'info' | 'error' } | null = null;
  const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const countdown = h('span', { class: 'countdown' });

  const run = async (what: Exclude<Busy, null>, fn: () => Promise<void>) => {
    busy = what;
    notice = null;
    render();
    try {
      await fn();
    } catch (error) {
      notice = { text: errorText(error), kind: 'error' };
      if (error instanceof ApiError && error.status === 404) store.setEnvironment(null);
    } finally {
      busy = null;
      render();
    }
  };

  const start = () =>
    run('starting', async () => {
      const { environment } = await api<{ environment: EnvironmentState }>('PUT', path);
      store.setEnvironment(environment);
    });

  const extend = () =>
    run('extending', async () => {
      const before = store.environment?.expiresAt;
      const { environment } = await api<{ environment: EnvironmentState }>('POST', `${path}/extend`);
      store.setEnvironment(environment);
      notice = {
        text: `Extended: your environment now lasts until ${clockTime(environment.expiresAt)}. A kubeconfig you downloaded earlier stops working at ${before ? clockTime(before) : 'its old expiry'}; download it again to keep going past that.`,
        kind: 'info',
      };
    });

  const reset = () => {
    if (!window.confirm('Reset your environment? Everything in your namespace is deleted and the exercise starts over. Your attempts and scores are kept.')) return;
    void run('resetting', async () => {
      const { environment } = await api<{ environment: EnvironmentState }>('POST', `${path}/reset`);
      store.setEnvironment(environment);
      notice = {
        text: 'Your environment was reset and starts over. The kubeconfig you downloaded before no longer works: download the new one below.',
        kind: 'info',
      };
    });
  };

  const tick = () => {
    const env = store.environment;
    if (!env || env.status !== 'ready') return;
    const left = Date.parse(env.expiresAt) - store.now();
    countdown.textContent = left > 0 ? `in ${timeLeft(left)} (at ${clockTime(env.expiresAt)})` : 'now: it has expired';
    countdown.classList.toggle('warning', left < 10 * 60_000);
  };
  setInterval(tick, 1000);

  function render(): void {
    const env = store.environment;
    status.textContent =
      busy === 'starting' ? 'Starting your environment… this takes a few seconds.'
      : busy === 'resetting' ? 'Resetting: deleting everything and starting over…'
      : busy === 'extending' ? 'Extending…'
      : '';
    const message = notice && h('p', { class: `callout ${notice.kind}`, role: notice.kind === 'error' ? 'alert' : null }, notice.text);
    if (!env || env.status === 'deleting') {
      fill(root,
        h('p', {}, 'You have no environment for this exercise yet. Starting one gives you your own namespace on the cluster, with the exercise’s starting state.'),
        h('button', { type: 'button', class: 'button primary', disabled: busy !== null, onclick: start }, 'Start environment'),
        status, message);
      return;
    }
    if (env.status === 'failed' || env.status === 'provisioning') {
      fill(root,
        env.status === 'failed'
          ? h('p', { class: 'callout error' }, `Your environment could not be created: ${env.error ?? 'unknown reason'}. This is a problem on kubelab’s side, not yours; try again.`)
          : h('p', {}, 'Your environment is being created.'),
        h('button', { type: 'button', class: 'button primary', disabled: busy !== null, onclick: start }, 'Start environment'),
        status, message);
      return;
    }
    const commands = h('pre', {}, h('code', {}, `export KUBECONFIG=~/Downloads/${fileName}\nkubectl get pods\nkubectl apply -f my-manifests.yaml`));
    fill(root,
      h('dl', { class: 'env-facts' },
        h('div', {}, h('dt', {}, 'Status'), h('dd', {}, h('span', { class: 'badge ok' }, h('span', { 'aria-hidden': 'true' }, '● '), 'ready'))),
        h('div', {}, h('dt', {}, 'Namespace'), h('dd', {}, h('code', {}, env.namespace))),
        h('div', {}, h('dt', {}, 'Expires'), h('dd', {}, countdown))),
      h('div', { class: 'actions' },
        h('a', { class: 'button primary', href: `/api/v1${path}/kubeconfig`, download: fileName }, 'Download kubeconfig'),
        h('button', { type: 'button', class: 'button', disabled: busy !== null, onclick: extend }, 'Extend'),
        h('button', { type: 'button', class: 'button danger', disabled: busy !== null, onclick: reset }, 'Reset environment')),
      status, message,
      h('p', { class: 'muted' }, 'Use it from your own terminal: kubectl already points at your namespace, so manifests need no namespace.'),
      commands);
    addCopyButtons(root);
    tick();
  }

  store.subscribe(render);
  render();
}
