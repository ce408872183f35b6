// The exercise page's island: reads the state the server embedded and draws the work
// panel. Each panel owns its section and listens to the shared store.
import { applyPanel } from './apply-panel.ts';
import './common.ts';
import { byId } from './dom.ts';
import { environmentPanel } from './environment-panel.ts';
import { gradePanel } from './grade-panel.ts';
import { historyPanel } from './history-panel.ts';
import { livePanel } from './live-panel.ts';
import type { ExercisePageState } from './state.ts';
import { PageStore } from './store.ts';
import { terminalTabs } from './terminal-panel.ts';

const state = JSON.parse(byId('page-state').textContent ?? '{}') as ExercisePageState;
const store = new PageStore(state);
environmentPanel(byId('env-panel'), store);
applyPanel(byId('apply-panel'), store);
gradePanel(byId('grade-panel'), store);
livePanel(byId('live-panel'), store);
historyPanel(byId('history-panel'), store);
const instructions = document.querySelector<HTMLElement>('article.instructions');
if (instructions) terminalTabs(instructions, store);
