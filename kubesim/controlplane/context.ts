// What every controller is handed: the shared store, time, randomness, pace, the
// runtime model, an internal client that writes like the apiserver, the work runner
// and the event recorder.

import type { Clock, Rng } from '../core/clock.ts';
import type { ContainerRuntime } from '../core/runtime.ts';
import type { Store } from '../core/store.ts';
import type { InternalClient } from './client.ts';
import type { EventInput } from './events.ts';
import type { NodeSpec } from './nodes.ts';
import type { Pace } from './pace.ts';
import type { Runner } from './runner.ts';

export interface ControllerContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  pace: Pace;
  runtime: ContainerRuntime;
  client: InternalClient;
  runner: Runner;
  nodes: readonly NodeSpec[];
  event(input: EventInput): void;
}
