// Test fixtures: a Store with Pods, Services and EndpointSlices written directly (the
// observed state the control plane would produce), a ManualClock and a seeded rng.

import { ManualClock, seededRng } from '../../core/clock.ts';
import { Store } from '../../core/store.ts';
import type { KubeObject, StoredObject } from '../../core/types.ts';
import { createRuntime, type Runtime } from '../index.ts';
import type { CpuSchedulerOptions } from '../cpu/scheduler.ts';

export interface World {
  store: Store;
  clock: ManualClock;
  rt: Runtime;
}

/** options.cpu: the simulated CPU's options, given the world's clock (to make it the slice timer). */
export function world(seed = 1, options: { cpu?: (clock: ManualClock) => CpuSchedulerOptions } = {}): World {
  const clock = new ManualClock();
  const store = new Store({ clock });
  const rt = createRuntime({ store, clock, rng: seededRng(seed), ...(options.cpu ? { cpu: options.cpu(clock) } : {}) });
  for (const ns of ['default', 'shop', 'other', 'kube-system']) {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } });
  }
  return { store, clock, rt };
}

export interface PodOpts {
  ns?: string;
  ip: string;
  node?: string;
  labels?: Record<string, string>;
  containers: Record<string, unknown>[];
  hostname?: string;
  subdomain?: string;
  phase?: string;
}

/** Create a Running Pod and start its containers, as the kubelet would. */
export function runPod(w: World, name: string, o: PodOpts): StoredObject {
  const node = o.node ?? 'kind-worker';
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', labels: o.labels ?? {} },
    spec: { nodeName: node, containers: o.containers, ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.subdomain ? { subdomain: o.subdomain } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      podIP: o.ip,
      hostIP: node === 'kind-worker' ? '172.18.0.3' : '172.18.0.2',
      containerStatuses: o.containers.map((c) => ({ name: String(c['name']), ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } })),
    },
  };
  const stored = w.store.create('pods', pod);
  for (const c of o.containers) w.rt.start(stored, String(c['name']));
  return stored;
}

export function service(w: World, name: string, spec: Record<string, unknown>, ns = 'default'): StoredObject {
  return w.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });
}

export interface Ep {
  ip: string;
  ready?: boolean;
  node?: string;
  hostname?: string;
  pod?: string;
}

export function slice(w: World, svc: string, ports: { name?: string; port: number; protocol?: string }[], eps: Ep[], ns = 'default', suffix = 'abcde'): StoredObject {
  return w.store.create('discovery.k8s.io/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-${suffix}`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      nodeName: e.node ?? 'kind-worker',
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', name: e.pod, namespace: ns } } : {}),
    })),
  });
}

export const nginx = (name = 'nginx', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, image: 'nginx:1.28', ports: [{ containerPort: 80 }], ...extra });
export const bb = (name = 'probe'): Record<string, unknown> => ({ name, image: 'busybox:1.36', command: ['sleep', '3600'] });

/** Run a command, advancing simulated time until it settles (timeouts are simulated). */
export async function sh(w: World, pod: StoredObject, script: string, container?: string, stdin?: string) {
  return settle(w, w.rt.run(pod, container, ['sh', '-c', script], stdin));
}

export async function settle<T>(w: World, p: Promise<T>): Promise<T> {
  let done = false;
  const wrapped = p.finally(() => { done = true; });
  for (let i = 0; i < 10_000 && !done; i++) {
    await new Promise((r) => setImmediate(r));
    if (done) break;
    const next = w.clock.nextAt();
    if (next !== undefined) w.clock.advance(Math.max(0, next - w.clock.now()));
  }
  return wrapped;
}
