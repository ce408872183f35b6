// The terminal tab beside the instructions: xterm.js bridged over a WebSocket to a shell
// in the learner's workspace Pod (server/terminal). The server keeps the shell when the
// tab closes and replays the recent screen on reconnect.
import { fill, h } from './dom.ts';
import type { PageStore } from './store.ts';
import type { Screen } from './terminal.ts';

interface StatusFrame {
  type: 'status';
  state: 'starting' | 'ready' | 'ended' | 'error';
  message: string;
}

function socketUrl(exerciseId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/exercises/${encodeURIComponent(exerciseId)}/terminal`;
}

export function terminalTabs(instructions: HTMLElement, store: PageStore): void {
  const exerciseId = store.page.exerciseId;
  const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const screen = h('div', { class: 'terminal-screen', 'aria-label': 'Terminal' });
  const actions = h('div', { class: 'actions' });
  const panel = h('div', { class: 'terminal-panel', role: 'tabpanel', id: 'terminal-tabpanel', 'aria-labelledby': 'terminal-tab', hidden: true }, status, actions, screen);
  // The article keeps its own role and name; a tab panel around it is what the tab controls.
  const instructionsPanel = h('div', { role: 'tabpanel', id: 'instructions-tabpanel', 'aria-labelledby': 'instructions-tab' });

  const tab = (id: string, label: string, controls: string) =>
    h('button', { type: 'button', role: 'tab', id, 'aria-controls': controls, 'aria-selected': 'false', tabindex: '-1' }, label);
  const instructionsTab = tab('instructions-tab', 'Instructions', instructionsPanel.id);
  const terminalTab = tab('terminal-tab', 'Terminal', panel.id);
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Instructions or terminal' }, instructionsTab, terminalTab);
  // One grid cell holds the tabs and both panels, as the article alone did.
  const lesson = h('div', { class: 'lesson' });
  instructions.replaceWith(lesson);
  instructionsPanel.append(instructions);
  lesson.append(tablist, instructionsPanel, panel);

  let term: Screen | undefined;
  let socket: WebSocket | undefined;

  const say = (text: string, kind: 'info' | 'error' = 'info') => {
    status.textContent = text;
    status.classList.toggle('error', kind === 'error');
  };

  const sendSize = () => {
    if (!term || panel.hidden) return;
    const { cols, rows } = term.fit();
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'resize', cols, rows }));
  };

  const connect = async () => {
    if (!store.ready) {
      say('Start your environment first (in the panel on the right); the terminal runs inside it.');
      fill(actions);
      return;
    }
    if (!term) {
      say('Loading the terminal…');
      // Loaded on first use: most visits never open the terminal.
      const { createScreen } = (await import(store.page.terminalScript)) as typeof import('./terminal.ts');
      term = createScreen(screen, (data) => {
        if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'input', data }));
      });
      new ResizeObserver(() => sendSize()).observe(screen);
    }
    term.reset();
    fill(actions);
    say('Connecting to your workspace…');
    const ws = new WebSocket(socketUrl(exerciseId));
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.addEventListener('open', () => sendSize());
    ws.addEventListener('message', (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data !== 'string') {
        term?.write(new Uint8Array(event.data));
        return;
      }
      const frame = JSON.parse(event.data) as StatusFrame;
      if (frame.state === 'ready') {
        say('Connected. kubectl here acts as you, in your namespace.');
        sendSize();
        term?.focus();
      } else say(frame.message.charAt(0).toUpperCase() + frame.message.slice(1), frame.state === 'error' ? 'error' : 'info');
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = undefined;
      if (!status.textContent || status.textContent.startsWith('Connect')) say('The terminal disconnected.', 'error');
      fill(actions, h('button', { type: 'button', class: 'button', onclick: () => void connect() }, 'Reconnect'));
    });
  };

  const select = (which: 'instructions' | 'terminal') => {
    const terminal = which === 'terminal';
    instructionsTab.setAttribute('aria-selected', String(!terminal));
    terminalTab.setAttribute('aria-selected', String(terminal));
    instructionsTab.tabIndex = terminal ? -1 : 0;
    terminalTab.tabIndex = terminal ? 0 : -1;
    instructionsPanel.hidden = terminal;
    panel.hidden = !terminal;
    if (terminal && !socket) void connect();
    else if (terminal) sendSize();
  };
  store.subscribe(() => {
    if (!panel.hidden && store.ready && !socket) void connect();
  });
  instructionsTab.addEventListener('click', () => select('instructions'));
  terminalTab.addEventListener('click', () => select('terminal'));
  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  tablist.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = document.activeElement === instructionsTab ? terminalTab : instructionsTab;
    next.focus();
    select(next === terminalTab ? 'terminal' : 'instructions');
  });
  select('instructions');
}
