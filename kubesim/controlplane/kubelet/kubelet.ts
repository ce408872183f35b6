// The kubelets of every node, simulated: sandbox + Pod IP, image pulls with
// ErrImagePull/ImagePullBackOff, container start with CrashLoopBackOff back-off
// (first restart at once, then 10s, 20s, 40s … capped at 5m), startup/readiness/
// liveness probes with their thresholds, graceful termination, and the events
// `kubectl describe pod` shows. The runtime model decides what images do.
// Source: pkg/kubelet/kuberuntime/kuberuntime_manager.go (SyncPod, doBackOff),
//         pkg/kubelet/prober/worker.go, pkg/kubelet/images/image_manager.go, pkg/kubelet/events/event.go

import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import { objKey, splitKey } from '../controllers/helpers.ts';
import type { Controller } from '../runner.ts';
import { at, num, rec, recs, str, timestamp } from '../util/obj.ts';
import { hexOf, invalidImageName, normalizeImage } from './images.ts';
import { PodIPAM } from './podip.ts';
import { backoffSeconds, type ContainerState, type PodState } from './state.ts';
import { buildStatus, statusSignature } from './status.ts';
import { MOUNT_RETRY_FIRST_SECONDS, MOUNT_RETRY_MAX_SECONDS, mountFailures } from './volumes.ts';

type ProbeKind = 'startupProbe' | 'readinessProbe' | 'livenessProbe';
const PROBE_WORD: Record<ProbeKind, string> = { startupProbe: 'Startup', readinessProbe: 'Readiness', livenessProbe: 'Liveness' };
/** The pod worker's back-off after a failed sync (pod_workers.go workerBackOffPeriod), in Kubernetes seconds. */
const SYNC_RETRY_SECONDS = 10;

export function kubeletController(ctx: ControllerContext): Controller {
  const pods = new Map<string, PodState>();
  /** uids of the Pods known under each "namespace/name": a sync looks at its own, not at every Pod of the cluster. */
  const uidsByKey = new Map<string, Set<string>>();
  const ipam = new PodIPAM();
  const sec = (s: number) => s * ctx.pace.secondMs;
  // Containers whose process ended by itself (e.g. `sleep 10`), reported by runtimes that can.
  const exits = new Map<string, { container: string; exitCode: number; reason: string }[]>();

  const self: Controller = {
    name: 'kubelet',
    keysFor(event: StoreEvent) {
      if (event.resource !== 'pods') return [];
      if (event.type === 'DELETED' || event.object.metadata.deletionTimestamp) return [objKey(event.object)];
      return str(at(event.object, 'spec', 'nodeName')) ? [objKey(event.object)] : [];
    },
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      // The store's frozen object, not a copy: most syncs are a probe period passing, and
      // copying the whole Pod for each was much of an idle cluster's cost. Nothing here changes it.
      const pod = ctx.store.peek('pods', namespace, name);
      for (const uid of [...(uidsByKey.get(key) ?? [])]) {
        // Forget Pods that are gone (or replaced by a new Pod of the same name).
        if (!pod || uid !== pod.metadata.uid) forget(uid);
      }
      if (!pod) return;
      const nodeName = str(at(pod, 'spec', 'nodeName'));
      if (!nodeName && pod.metadata.deletionTimestamp) {
        // Never bound: nothing runs, so nothing to wait for (the apiserver deletes these at once).
        ctx.store.remove('pods', namespace, name);
        return;
      }
      const node = ctx.nodes.find((n) => n.name === nodeName);
      if (!nodeName || !node) return;
      let state = pods.get(pod.metadata.uid);
      if (!state) {
        if (phaseDone(pod)) return;
        if (rejectedForRoom(pod, node)) return;
        state = create(pod, nodeName);
      }
      const now = ctx.clock.now();
      if (pod.metadata.deletionTimestamp) {
        if (state.deletingAt === undefined) {
          for (const c of state.containers) {
            if (c.stage === 'running') {
              ctx.runtime.stop(pod, c.name);
              event(pod, c, 'Killing', `Stopping container ${c.name}`);
            }
          }
          state.deletingAt = now + ctx.pace.terminationMs;
        }
        if (now >= state.deletingAt) {
          forget(pod.metadata.uid);
          ctx.store.remove('pods', namespace, name);
          return;
        }
        ctx.runner.enqueueAfter(self, key, state.deletingAt - now);
        return;
      }
      if (!state.podIP && now >= state.sandboxAt && volumesMounted(pod, state, now)) {
        state.podIP = ipam.allocate(ctx.store, nodeName, node.podCIDR, state.preferredIP && { ip: state.preferredIP, uid: pod.metadata.uid });
        for (const c of state.containers) c.dueAt = now;
      }
      // The Pod with the status this kubelet would report now, as the runtime needs it
      // (Pod IP, which containers run). Rebuilt only when that status would differ.
      const withIP = (): StoredObject => {
        const signature = statusSignature(state);
        const rv = pod.metadata.resourceVersion;
        const seen = state.view;
        if (seen && seen.resourceVersion === rv && seen.signature === signature) return seen.pod;
        const view = Object.freeze({ ...pod, status: buildStatus(pod, state, node.internalIP, timestamp(now)) });
        state.view = { resourceVersion: rv, signature, pod: view };
        return view;
      };
      for (const exit of exits.get(pod.metadata.uid) ?? []) {
        const c = state.containers.find((x) => x.name === exit.container);
        if (c?.stage === 'running') crashed(pod, c, now, exit.exitCode, exit.exitCode === 0 ? 'Completed' : exit.reason);
      }
      exits.delete(pod.metadata.uid);
      if (state.podIP) {
        for (const c of state.containers) advance(withIP, c, pod, now);
      }
      writeStatus(pod, state, node.internalIP, now);
      const next = nextWake(state, now);
      if (next !== undefined) ctx.runner.enqueueAfter(self, key, next - now);
    },
  };

  /**
   * The status manager's write: skipped outright when neither the Pod (its resourceVersion)
   * nor anything buildStatus reads has changed since the last write, as the real status
   * manager skips a status equal to the cached one (status_manager.go, needsUpdate).
   */
  function writeStatus(pod: StoredObject, state: PodState, hostIP: string, now: number): void {
    const signature = statusSignature(state);
    const rv = pod.metadata.resourceVersion;
    if (state.written?.resourceVersion === rv && state.written.signature === signature) return;
    const status = buildStatus(pod, state, hostIP, timestamp(now));
    ctx.client.updateIfChanged('pods', { ...pod, metadata: { ...pod.metadata }, status });
    const after = ctx.store.peek('pods', pod.metadata.namespace, pod.metadata.name)?.metadata.resourceVersion;
    state.written = after === undefined ? undefined : { resourceVersion: after, signature };
  }

  /**
   * The kubelet's own admission: a Pod bound to a node that already runs its max-pods
   * (bound by hand with nodeName, past the scheduler) is rejected and Failed, reason
   * OutOfpods. Restored Pods (a restart) were admitted before and are kept.
   * Source: pkg/kubelet/lifecycle/predicate.go (Admit, "Node didn't have enough resource").
   */
  function rejectedForRoom(pod: StoredObject, node: { name: string; maxPods?: number }): boolean {
    if (rec(pod.status)?.containerStatuses !== undefined) return false;
    const capacity = node.maxPods ?? 110;
    let used = 0;
    // Active Pods only: those whose containers all ended hold no slot.
    for (const st of pods.values()) if (st.nodeName === node.name && !st.containers.every((c) => c.stage === 'done')) used++;
    if (used < capacity) return false;
    const why = `Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${capacity}`;
    const rejected = structuredClone(pod);
    rejected.status = { phase: 'Failed', reason: 'OutOfpods', message: `Pod was rejected: ${why}`, startTime: timestamp(ctx.clock.now()) };
    event(pod, undefined, 'OutOfpods', why, 'Warning');
    ctx.client.updateIfChanged('pods', rejected);
    return true;
  }

  /**
   * WaitForAttachAndMount: the sandbox starts only once every Secret and ConfigMap
   * volume can be set up; each failed attempt is a FailedMount event, retried with
   * the volume manager's exponential back-off.
   */
  function volumesMounted(pod: StoredObject, state: PodState, now: number): boolean {
    if (state.mounted) return true;
    if (now < (state.mountRetryAt ?? 0)) return false;
    const failures = mountFailures(ctx.store, pod);
    if (failures.length === 0) {
      state.mounted = true;
      return true;
    }
    for (const message of failures) event(pod, undefined, 'FailedMount', message, 'Warning');
    const tries = state.mountFailures ?? 0;
    state.mountFailures = tries + 1;
    state.mountRetryAt = now + sec(backoffSeconds(MOUNT_RETRY_FIRST_SECONDS, MOUNT_RETRY_MAX_SECONDS, tries));
    return false;
  }

  function forget(uid: string): void {
    const key = pods.get(uid)?.key;
    const uids = key === undefined ? undefined : uidsByKey.get(key);
    uids?.delete(uid);
    if (key !== undefined && uids?.size === 0) uidsByKey.delete(key);
    pods.delete(uid);
    exits.delete(uid);
  }

  const watchExits = (rt: object): void => {
    if (!('onExit' in rt) || typeof rt.onExit !== 'function') return;
    rt.onExit((exit: unknown) => {
      const e = rec(exit);
      const uid = str(e?.uid);
      const container = str(e?.container);
      if (!e || !uid || !container) return;
      exits.set(uid, [...(exits.get(uid) ?? []), { container, exitCode: num(e.exitCode) ?? 0, reason: str(e.reason) ?? 'Completed' }]);
      ctx.runner.enqueue(self, `${str(e.namespace) ?? ''}/${str(e.pod) ?? ''}`);
    });
  };
  watchExits(ctx.runtime);

  function phaseDone(pod: StoredObject): boolean {
    const phase = str(at(pod, 'status', 'phase'));
    return phase === 'Succeeded' || phase === 'Failed';
  }

  function create(pod: StoredObject, nodeName: string): PodState {
    const now = ctx.clock.now();
    const state: PodState = {
      key: objKey(pod),
      uid: pod.metadata.uid,
      nodeName,
      sandboxAt: now + ctx.pace.sandboxMs,
      startTime: timestamp(now),
      containers: recs(at(pod, 'spec', 'containers')).map((c) => ({
        name: str(c.name) ?? '',
        image: str(c.image) ?? '',
        stage: 'pull',
        dueAt: Number.POSITIVE_INFINITY,
        restartCount: 0,
        pullFailures: 0,
        crashes: 0,
        started: false,
        ready: false,
        probes: {},
      })),
    };
    if (rec(pod.status)?.containerStatuses !== undefined) afterReboot(pod, state, now);
    pods.set(pod.metadata.uid, state);
    let uids = uidsByKey.get(state.key);
    if (!uids) uidsByKey.set(state.key, (uids = new Set()));
    uids.add(pod.metadata.uid);
    return state;
  }

  /**
   * A Pod that already ran here before this kubelet started: the cluster was restarted
   * from its state file, as a node reboots. The sandbox is made again (the same IP when
   * it is still free), and every container that had been created starts again with its
   * restart count one higher and its last state "Unknown", exit code 255: what a real
   * kubelet reports after a reboot. Back-off starts over (it lives in kubelet memory).
   */
  function afterReboot(pod: StoredObject, state: PodState, now: number): void {
    const before = rec(pod.status) ?? {};
    state.startTime = str(before.startTime) ?? state.startTime;
    state.preferredIP = str(before.podIP);
    const statuses = recs(before.containerStatuses);
    for (const c of state.containers) {
      const prior = statuses.find((x) => x.name === c.name);
      if (!prior) continue;
      c.restartCount = num(prior.restartCount) ?? 0;
      const last = rec(rec(prior.lastState)?.terminated);
      const containerID = str(prior.containerID);
      if (containerID) {
        c.restartCount++;
        const running = rec(rec(prior.state)?.running);
        const ended = rec(rec(prior.state)?.terminated);
        const ts = timestamp(now);
        c.lastTerminated = { exitCode: 255, reason: 'Unknown', startedAt: str(running?.startedAt) ?? str(ended?.startedAt) ?? ts, finishedAt: ts, containerID };
      } else if (last) {
        c.lastTerminated = {
          exitCode: num(last.exitCode) ?? 0, reason: str(last.reason) ?? 'Unknown',
          startedAt: str(last.startedAt) ?? '', finishedAt: str(last.finishedAt) ?? '', containerID: str(last.containerID) ?? '',
        };
      }
    }
    if (state.preferredIP) event(pod, undefined, 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
  }

  function event(pod: StoredObject, c: ContainerState | undefined, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    ctx.event({
      involvedObject: pod, reason, message, type,
      source: { component: 'kubelet', host: str(at(pod, 'spec', 'nodeName')) ?? '' },
      ...(c ? { fieldPath: `spec.containers{${c.name}}` } : {}),
    });
  }

  function specOf(pod: StoredObject, name: string): Record<string, unknown> {
    return recs(at(pod, 'spec', 'containers')).find((c) => c.name === name) ?? {};
  }

  function crashed(pod: StoredObject, c: ContainerState, now: number, exitCode: number, reason: string): void {
    const ts = timestamp(now);
    const record = { exitCode, reason, startedAt: c.startedAt ?? ts, finishedAt: ts, containerID: c.containerID ?? '' };
    c.ready = false;
    c.started = false;
    c.probes = {};
    const policy = str(at(pod, 'spec', 'restartPolicy')) ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) {
      c.terminated = record;
      c.stage = 'done';
      c.dueAt = Number.POSITIVE_INFINITY;
      return;
    }
    c.lastTerminated = record;
    c.crashes++;
    // doBackOff: the first restart is immediate; later ones wait 10s, 20s, 40s …
    if (c.crashes === 1) {
      c.stage = 'exited';
      c.dueAt = now + ctx.pace.containerStartMs;
      return;
    }
    const wait = backoffSeconds(ctx.pace.crashLoopBackoffSeconds, ctx.pace.backoffMaxSeconds, c.crashes - 2);
    const who = `${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid})`;
    c.stage = 'crashBackoff';
    c.waitingReason = 'CrashLoopBackOff';
    c.waitingMessage = `back-off ${wait}s restarting failed container=${c.name} pod=${who}`;
    c.dueAt = now + sec(wait);
    event(pod, c, 'BackOff', `Back-off restarting failed container ${c.name} in pod ${who}`, 'Warning');
  }

  function startProbes(pod: StoredObject, c: ContainerState, now: number): void {
    const spec = specOf(pod, c.name);
    const kinds: ProbeKind[] = rec(spec.startupProbe) ? ['startupProbe'] : ['readinessProbe', 'livenessProbe'];
    for (const kind of kinds) {
      const probe = rec(spec[kind]);
      if (!probe) continue;
      const delay = num(probe.initialDelaySeconds) ?? 0;
      c.probes[kind] = { nextAt: Math.max(now, (c.startedAtMs ?? now) + sec(delay)), successes: 0, failures: 0 };
    }
    if (!rec(spec.startupProbe)) c.started = true;
    if (c.started && !rec(spec.readinessProbe)) c.ready = true;
  }

  function runProbes(withIP: () => StoredObject, c: ContainerState, pod: StoredObject, now: number): void {
    const spec = specOf(pod, c.name);
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      const st = c.probes[kind];
      const probe = rec(spec[kind]);
      if (!st || !probe) continue;
      while (c.stage === 'running' && c.probes[kind] === st && st.nextAt <= now) {
        st.nextAt += sec(num(probe.periodSeconds) ?? 10);
        const result = ctx.runtime.probe(withIP(), c.name, probe);
        if (result.success) {
          st.failures = 0;
          st.successes++;
          if (st.successes >= (num(probe.successThreshold) ?? 1)) {
            if (kind === 'readinessProbe') c.ready = true;
            if (kind === 'startupProbe') {
              delete c.probes.startupProbe;
              c.started = true;
              for (const k of ['readinessProbe', 'livenessProbe'] as const) {
                const p = rec(spec[k]);
                if (p) c.probes[k] = { nextAt: now, successes: 0, failures: 0 };
              }
              if (!rec(spec.readinessProbe)) c.ready = true;
            }
          }
          continue;
        }
        st.successes = 0;
        st.failures++;
        event(pod, c, 'Unhealthy', `${PROBE_WORD[kind]} probe failed: ${result.message ?? 'probe failed'}`, 'Warning');
        if (st.failures < (num(probe.failureThreshold) ?? 3)) continue;
        if (kind === 'readinessProbe') {
          c.ready = false;
          continue;
        }
        const why = kind === 'livenessProbe' ? 'liveness' : 'startup';
        event(pod, c, 'Killing', `Container ${c.name} failed ${why} probe, will be restarted`);
        ctx.runtime.stop(withIP(), c.name);
        crashed(pod, c, now, 137, 'Error');
      }
    }
  }

  function advance(withIP: () => StoredObject, c: ContainerState, pod: StoredObject, now: number): void {
    for (let guard = 0; guard < 20 && c.dueAt <= now; guard++) {
      const spec = specOf(pod, c.name);
      const policy = str(spec.imagePullPolicy) ?? 'IfNotPresent';
      switch (c.stage) {
        case 'pull': {
          const invalid = invalidImageName(c.image);
          if (invalid) {
            // EnsureImageExists fails before any pull; each sync tries again.
            event(pod, c, 'InspectFailed', invalid, 'Warning');
            event(pod, c, 'Failed', 'Error: InvalidImageName', 'Warning');
            c.waitingReason = 'InvalidImageName';
            c.waitingMessage = invalid;
            c.dueAt = now + sec(SYNC_RETRY_SECONDS);
            break;
          }
          if (policy !== 'Always' && ctx.runtime.canPull(c.image)) {
            // kind preloads the lesson images: IfNotPresent finds them on the node.
            event(pod, c, 'Pulled', `Container image "${c.image}" already present on machine`);
            c.stage = 'create';
            c.dueAt = now;
          } else {
            event(pod, c, 'Pulling', `Pulling image "${c.image}"`);
            c.stage = 'pulling';
            c.dueAt = now + ctx.pace.imagePullMs;
          }
          break;
        }
        case 'pulling':
          if (ctx.runtime.canPull(c.image)) {
            const took = `${(ctx.pace.imagePullMs / 1000).toFixed(3)}s`;
            event(pod, c, 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: 0 bytes.`);
            c.pullFailures = 0;
            c.stage = 'create';
            c.dueAt = now;
          } else {
            const ref = normalizeImage(c.image);
            // containerd's resolver: a missing tag is NotFound; a missing repository is
            // Docker Hub's 401, which it reports as pull access denied.
            const denied = ctx.runtime.hasRepository?.(c.image) === false;
            const { code, why } = ctx.runtime.pullFailure?.(c.image, ref) ?? (denied
              ? { code: 'Unknown', why: 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed' }
              : { code: 'NotFound', why: `${ref}: not found` });
            const message = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${why}`;
            event(pod, c, 'Failed', `Failed to pull image "${c.image}": rpc error: code = ${code} desc = ${message}`, 'Warning');
            event(pod, c, 'Failed', 'Error: ErrImagePull', 'Warning');
            c.waitingReason = 'ErrImagePull';
            c.waitingMessage = message;
            c.stage = 'errImagePull';
            c.dueAt = now + ctx.pace.containerStartMs;
          }
          break;
        case 'errImagePull': {
          const wait = backoffSeconds(ctx.pace.imagePullBackoffSeconds, ctx.pace.backoffMaxSeconds, c.pullFailures);
          c.pullFailures++;
          event(pod, c, 'BackOff', `Back-off pulling image "${c.image}"`);
          event(pod, c, 'Failed', 'Error: ImagePullBackOff', 'Warning');
          c.waitingReason = 'ImagePullBackOff';
          c.waitingMessage = `Back-off pulling image "${c.image}"`;
          c.stage = 'pullBackoff';
          c.dueAt = now + sec(wait);
          break;
        }
        case 'pullBackoff':
          c.stage = 'pull';
          c.dueAt = now;
          break;
        case 'exited':
        case 'crashBackoff':
          c.restartCount++;
          c.stage = 'create';
          c.dueAt = now;
          break;
        case 'create': {
          c.startedAt = timestamp(now);
          c.startedAtMs = now;
          const result = ctx.runtime.start(withIP(), c.name);
          if (result.state === 'configError') {
            // startContainer: generateContainerConfig failed, nothing is created; the pod
            // worker syncs again after its back-off (and finds the image present again).
            c.waitingReason = 'CreateContainerConfigError';
            c.waitingMessage = result.message;
            event(pod, c, 'Failed', `Error: ${result.message}`, 'Warning');
            c.stage = 'pull';
            c.dueAt = now + sec(SYNC_RETRY_SECONDS);
            break;
          }
          c.containerID = `containerd://${hexOf(`${pod.metadata.uid}/${c.name}/${c.restartCount}`, 64)}`;
          c.waitingReason = undefined;
          c.waitingMessage = undefined;
          event(pod, c, 'Created', `Created container: ${c.name}`);
          event(pod, c, 'Started', `Started container ${c.name}`);
          if (result.state === 'running') {
            c.stage = 'running';
            c.dueAt = Number.POSITIVE_INFINITY;
            startProbes(pod, c, now);
          } else {
            crashed(pod, c, now, result.exitCode, result.reason);
          }
          break;
        }
        default:
          c.dueAt = Number.POSITIVE_INFINITY;
      }
    }
    if (c.stage === 'running') runProbes(withIP, c, pod, now);
  }

  function nextWake(state: PodState, now: number): number | undefined {
    let next = Number.POSITIVE_INFINITY;
    if (!state.podIP) next = Math.max(state.sandboxAt, state.mountRetryAt ?? 0);
    for (const c of state.containers) {
      next = Math.min(next, c.dueAt);
      for (const p of Object.values(c.probes)) if (p) next = Math.min(next, p.nextAt);
    }
    return Number.isFinite(next) ? Math.max(next, now) : undefined;
  }

  return self;
}
