// The learner's namespace, live: nodes as columns with their Pods, then every Service
// with its cluster IP, DNS name, ports, selector chips (red when no Pod carries that
// label) and endpoints (ready or not, on which node). One EventSource per page.
import type { LiveEndpoint, LivePod, LiveService, LiveView } from '../../server/live/view-types.ts';
import { fill, h } from './dom.ts';
import { envPath, type PageStore } from './store.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function podCard(p: LivePod): HTMLElement {
  return h('li', { class: `pod ${p.ready ? 'pod-ready' : 'pod-not-ready'}` },
    h('span', { class: 'pod-name' }, p.name),
    h('span', { class: 'pod-state' },
      h('span', { 'aria-hidden': 'true' }, p.ready ? '● ' : '○ '),
      p.ready ? 'ready' : 'not ready', ` · ${p.status}`, p.restarts > 0 ? ` · ${plural(p.restarts, 'restart')}` : ''),
    p.ip ? h('span', { class: 'pod-ip' }, p.ip) : null);
}

function endpointItem(e: LiveEndpoint): HTMLElement {
  const state = e.terminating ? 'terminating' : e.ready ? 'ready' : 'not ready';
  return h('li', { class: `endpoint endpoint-${state.replace(' ', '-')}` },
    h('span', { 'aria-hidden': 'true' }, e.ready ? '● ' : '○ '),
    h('code', {}, e.ip), e.pod ? ` ${e.pod}` : '', e.node ? ` on ${e.node}` : '', ` — ${state}`);
}

function serviceCard(s: LiveService): HTMLElement {
  const ready = s.endpoints.filter((e) => e.ready).length;
  const badges = [
    s.headless ? 'clusterIP: None' : s.type,
    s.sessionAffinity === 'ClientIP' ? 'sessionAffinity: ClientIP' : null,
    s.internalTrafficPolicy === 'Local' ? 'internalTrafficPolicy: Local' : null,
  ].filter((b): b is string => b !== null);
  return h('article', { class: 'service', 'aria-label': `Service ${s.name}` },
    h('h4', {}, s.name, ' ', badges.map((b) => h('span', { class: 'badge' }, b))),
    h('dl', { class: 'service-facts' },
      h('div', {}, h('dt', {}, 'Cluster IP'), h('dd', {}, s.headless ? 'none (headless: DNS answers with the Pod IPs)' : h('code', {}, s.clusterIP ?? '—'))),
      h('div', {}, h('dt', {}, 'DNS name'), h('dd', {}, h('code', {}, s.dns))),
      h('div', {}, h('dt', {}, 'Ports'), h('dd', {}, s.ports.length === 0 ? '—' : s.ports.map((p, i) => [i > 0 ? ', ' : '', `${p.name ? `${p.name} ` : ''}${p.port} → ${p.targetPort}/${p.protocol}`]))),
      h('div', {}, h('dt', {}, 'Selector'), h('dd', {},
        s.selector === null
          ? 'none (endpoints are not managed from Pods)'
          : [
              h('ul', { class: 'chips', 'aria-label': 'Selector' },
                s.selector.map((t) => h('li', { class: `chip ${t.matchesAny ? '' : 'chip-none'}` }, `${t.key}=${t.value}`, t.matchesAny ? '' : h('span', { class: 'chip-note' }, ' (no Pod has this label)')))),
              h('span', { class: s.matchingPods === 0 ? 'selects-none' : 'muted' }, ` selects ${plural(s.matchingPods, 'Pod')}`),
            ]))),
    h('p', { class: 'endpoint-summary' }, `${plural(s.endpoints.length, 'endpoint')}: ${ready} ready, ${s.endpoints.length - ready} not ready`),
    s.endpoints.length > 0 ? h('ul', { class: 'endpoints', 'aria-label': `Endpoints of ${s.name}` }, s.endpoints.map(endpointItem)) : null);
}

export function renderLiveView(root: HTMLElement, view: LiveView): void {
  const podCount = view.nodes.reduce((n, node) => n + node.pods.length, 0) + view.unscheduled.length;
  fill(root,
    h('p', { class: 'live-summary' }, `${plural(podCount, 'Pod')} on ${plural(view.nodes.length, 'node')} · ${plural(view.services.length, 'Service')}`),
    h('div', { class: 'nodes' },
      view.nodes.map((n) =>
        h('section', { class: 'node', 'aria-label': `Node ${n.name}` },
          h('h3', {}, n.name, n.ready ? '' : h('span', { class: 'badge bad' }, 'not ready')),
          n.pods.length === 0 ? h('p', { class: 'muted small' }, 'no Pods') : h('ul', { class: 'pods' }, n.pods.map(podCard)))),
      view.unscheduled.length > 0
        ? h('section', { class: 'node node-pending', 'aria-label': 'Pods waiting for a node' },
            h('h3', {}, 'Waiting for a node'), h('ul', { class: 'pods' }, view.unscheduled.map(podCard)))
        : null),
    h('h3', { class: 'services-heading' }, 'Services'),
    view.services.length === 0 ? h('p', { class: 'muted' }, 'No Services yet.') : h('div', { class: 'services' }, view.services.map(serviceCard)));
}

export function livePanel(root: HTMLElement, store: PageStore): void {
  let source: EventSource | undefined;
  let namespace: string | undefined;
  const connect = () => {
    const env = store.environment;
    const wanted = env?.status === 'ready' ? env.namespace : undefined;
    if (wanted === namespace && source) return;
    source?.close();
    source = undefined;
    namespace = wanted;
    if (!wanted) {
      fill(root, h('p', { class: 'muted' }, 'Start your environment to see its nodes, Pods, Services and endpoints here as they change.'));
      return;
    }
    fill(root, h('p', { class: 'muted' }, 'Connecting…'));
    const es = new EventSource(`/api/v1${envPath(store.page.exerciseId)}/live`);
    source = es;
    es.addEventListener('view', (event) => renderLiveView(root, JSON.parse((event as MessageEvent<string>).data) as LiveView));
    es.addEventListener('error', () => {
      // EventSource reconnects by itself after a normal end; a refused stream stays closed.
      if (es.readyState === EventSource.CLOSED && source === es) {
        source = undefined;
        setTimeout(connect, 5000);
      }
    });
  };
  store.subscribe(connect);
  connect();
}
