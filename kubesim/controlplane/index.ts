// The simulated control plane of the embedded cluster: per-kind strategies and
// admission for the REST layer, and the controllers a kind cluster runs (scheduler,
// kubelets, Deployment/ReplicaSet/StatefulSet, EndpointSlice/Endpoints, garbage
// collector, namespace lifecycle, ServiceAccounts, ResourceQuota status).

import type { Clock, Rng } from '../core/clock.ts';
import type { ContainerRuntime } from '../core/runtime.ts';
import type { Store } from '../core/store.ts';
import type { AdmissionPlugin, ResourceBehaviour } from '../core/strategy.ts';
import type { KubeObject } from '../core/types.ts';
import { InternalClient } from './client.ts';
import type { ControllerContext } from './context.ts';
import { allControllers } from './controllers/all.ts';
import { EventSpamFilter, recordEvent } from './events.ts';
import { admissionPlugins } from './admission/index.ts';
import { COREDNS_OBJECTS, kubernetesEndpoints, namespaceObject, SYSTEM_NAMESPACES, SYSTEM_SERVICES } from './bootstrap.ts';
import { KIND_NODES, nodeObject, type NodeSpec } from './nodes.ts';
import { FAST_PACE, type Pace } from './pace.ts';
import { Runner, type ErrorReporter } from './runner.ts';
import { strategyTable } from './strategies/index.ts';
import { timestamp } from './util/obj.ts';

export { FAST_PACE, KIND_PACE, type Pace } from './pace.ts';
export { KIND_NODES, kindNodes, type NodeSpec } from './nodes.ts';
export { settle, type SettleOptions } from './settle.ts';
export { recordEvent, type EventInput } from './events.ts';

export interface ControlPlaneOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  runtime: ContainerRuntime;
  pace?: Partial<Pace>;
  /** Default: kind's control-plane + two workers. */
  nodes?: NodeSpec[];
  /** Where reconcile errors go (default: console.error). Errors are never dropped. */
  onError?: ErrorReporter;
  /** Share timers between wake-ups this close (see RunnerOptions.wakeSlotMs); default 0, exact. */
  wakeSlotMs?: number;
}

export interface ControlPlane {
  behaviour: ResourceBehaviour;
  start(): void;
  stop(): void;
  /** Resolves when no controller work is queued (timers may be pending). */
  idle(): Promise<void>;
}

export function createControlPlane(options: ControlPlaneOptions): ControlPlane {
  const { store, clock, rng, runtime } = options;
  const pace: Pace = { ...FAST_PACE, ...options.pace };
  const nodes = options.nodes ?? [...KIND_NODES];
  const strategies = strategyTable();
  const admission: AdmissionPlugin[] = admissionPlugins();
  const behaviour: ResourceBehaviour = {
    strategyFor: (key) => strategies.get(key),
    admission,
  };
  const onError: ErrorReporter =
    options.onError ?? ((controller, key, error) => console.error(`kubesim ${controller} ${key}:`, error));
  const runner = new Runner(store, clock, onError, { wakeSlotMs: options.wakeSlotMs ?? 0 });
  const client = new InternalClient(store, clock, rng, () => behaviour);
  const spam = new EventSpamFilter(clock, pace.secondMs);
  const ctx: ControllerContext = {
    store, clock, rng, pace, runtime, client, runner, nodes,
    event: (input) => recordEvent(store, clock, rng, input, spam),
  };
  for (const controller of allControllers(ctx)) runner.add(controller);
  let started = false;

  function createIfMissing(key: string, obj: KubeObject, viaStrategy: boolean): void {
    if (store.get(key, obj.metadata.namespace, obj.metadata.name ?? '')) return;
    if (viaStrategy) client.create(key, obj, 'bootstrap');
    else store.create(key, obj);
  }

  return {
    behaviour,
    start() {
      if (started) return;
      started = true;
      const now = timestamp(clock.now());
      for (const ns of SYSTEM_NAMESPACES) createIfMissing('namespaces', namespaceObject(ns), false);
      // Only the control plane at first: workers join once CoreDNS is placed (controllers/nodejoin.ts).
      const first = nodes.find((n) => n.role === 'control-plane') ?? nodes[0];
      if (first) createIfMissing('nodes', nodeObject(first, now), false);
      for (const svc of SYSTEM_SERVICES) createIfMissing('services', svc, true);
      const apiserverIP = first?.internalIP ?? '172.18.0.2';
      createIfMissing('endpoints', kubernetesEndpoints(apiserverIP)[0]!, false);
      createIfMissing('discovery.k8s.io/endpointslices', kubernetesEndpoints(apiserverIP)[1]!, false);
      for (const { key, object } of COREDNS_OBJECTS) createIfMissing(key, object, true);
      runner.start();
      // Objects stored before start() are replayed into every queue (an informer's initial list).
      runner.resync();
    },
    stop() {
      runner.stop();
      started = false;
    },
    idle: () => runner.idle(),
  };
}
