// A whole embedded control plane on a ManualClock with the real runtime model, for
// tests: create objects through the strategies and admission (no HTTP here), then
// settle simulated time.

import { ManualClock, seededRng } from '../../core/clock.ts';
import { invalid } from '../../core/errors.ts';
import { resourceByKey } from '../../core/registry.ts';
import { Store } from '../../core/store.ts';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { createRuntime, type Runtime } from '../../runtime/index.ts';
import type { CpuSchedulerOptions } from '../../runtime/cpu/scheduler.ts';
import { InternalClient } from '../client.ts';
import { deleteObject } from '../controllers/helpers.ts';
import { createControlPlane, settle, type ControlPlane, type NodeSpec } from '../index.ts';
import { at, str } from '../util/obj.ts';

export interface TestCluster {
  store: Store;
  clock: ManualClock;
  cp: ControlPlane;
  runtime: Runtime;
  client: InternalClient;
  errors: unknown[];
  create(key: string, obj: KubeObject): StoredObject;
  /** Update as a PUT would: the kind's update defaults and validation, then the store. */
  update(key: string, obj: StoredObject): StoredObject;
  /** Delete as a default kubectl delete would (graceful Pods, finalizers honoured). */
  remove(key: string, namespace: string | undefined, name: string): void;
  settle(maxMs?: number): Promise<void>;
  pods(namespace?: string): StoredObject[];
}

export interface TestClusterOptions {
  /** The topology (default: kind's control plane and two workers). */
  nodes?: NodeSpec[];
  /** The simulated CPU's options (tests pass the cluster's clock as its slice timer with `cpuOnClusterClock`). */
  cpu?: CpuSchedulerOptions;
  /** Use the cluster's ManualClock as the CPU slice timer, so settling time also ends throttles. */
  cpuOnClusterClock?: boolean;
}

export async function startTestCluster(seed = 1, options: TestClusterOptions = {}): Promise<TestCluster> {
  const clock = new ManualClock();
  const store = new Store({ clock, newUid: uidSource(seed) });
  const cpu = options.cpu || options.cpuOnClusterClock ? { ...options.cpu, ...(options.cpuOnClusterClock ? { timer: clock } : {}) } : undefined;
  const runtime = createRuntime({ store, clock, rng: seededRng(seed + 1000), ...(cpu ? { cpu } : {}) });
  const rng = seededRng(seed);
  const errors: unknown[] = [];
  const cp = createControlPlane({ store, clock, rng, runtime, nodes: options.nodes, onError: (_c, _k, e) => errors.push(e) });
  const client = new InternalClient(store, clock, rng, () => cp.behaviour);
  cp.start();
  await settle(cp, clock, { maxMs: 2000 });
  return {
    store, clock, cp, runtime, client, errors,
    create: (key, obj) => client.create(key, obj, 'kubectl'),
    update: (key, obj) => {
      const old = store.get(key, obj.metadata.namespace, obj.metadata.name);
      const resource = resourceByKey(key);
      if (!old || !resource) throw new Error(`cannot update ${key} ${obj.metadata.name}`);
      const ctx = { store, clock, rng, user: { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'] }, resource, dryRun: false };
      const strategy = cp.behaviour.strategyFor(key);
      strategy?.prepareForUpdate?.(obj, old, ctx);
      const errs = strategy?.validateUpdate?.(obj, old, ctx) ?? [];
      if (errs.length > 0) throw invalid(obj.kind, resource.group, obj.metadata.name, errs);
      return client.update(key, obj);
    },
    remove: (key, namespace, name) => {
      const obj = store.get(key, namespace, name);
      if (obj) deleteObject(store, clock, key, obj);
    },
    settle: (maxMs = 5000) => settle(cp, clock, { maxMs }),
    pods: (namespace = 'default') => store.list('pods', namespace).filter((p) => !str(at(p, 'metadata', 'deletionTimestamp'))),
  };
}

/** Deterministic uids, so two runs with one seed are byte-for-byte comparable. */
function uidSource(seed: number): () => string {
  let n = 0;
  return () => {
    n++;
    const hex = (seed * 1_000_003 + n).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex.slice(-12)}`;
  };
}
