// The container runtime model: the kubelet's ContainerRuntime (pull, start, stop,
// probe) and the apiserver's PodIO (exec, logs) over one set of simulated containers
// and one simulated network (DNS, kube-proxy, NetworkPolicy).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock, Rng } from '../core/clock.ts';
import type { AttachRequest, ExecRequest, LogRequest, PodIO } from '../core/podio.ts';
import type { ContainerRuntime, ProbeResult, StartResult } from '../core/runtime.ts';
import type { Store } from '../core/store.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import { ContainerInstance, Containers } from './containers.ts';
import { ContainerConfigError, containerEnv, kubeletEnv, processArgv } from './env.ts';
import { AttachServer } from './exec/attach.ts';
import { ExecServer } from './exec/ws.ts';
import { execInContainer, type ExecOutcome } from './exec/run.ts';
import { containerFiles, podHostname } from './files.ts';
import { imageFor, pullFailure, repositoryExists } from './images/catalog.ts';
import { serveLogs } from './logs/serve.ts';
import { dialInPod } from './net/dial.ts';
import { Network } from './net/system.ts';
import { findContainer, parsePod, type PodView } from './podspec.ts';
import { probeContainer } from './probe.ts';
import { drive, Killed, type Driven, type Waiter } from './proc.ts';
import { emptyStdin, stringStdin } from './shell/interp.ts';
import { Console } from './tty/console.ts';
import { CpuScheduler, type CpuSchedulerOptions } from './cpu/scheduler.ts';
import { DEFAULT_MEMORY_LIMIT_BYTES, MemoryMeter, OomKilled } from './cpu/memory.ts';
import { containerLimits } from './cpu/limits.ts';

export interface RuntimeOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  /** Real-time scale for simulated timeouts when the clock is a RealClock, e.g. 0.01 (the default). */
  timeoutScale?: number;
  /** The in-cluster kubeconfig of a Pod's ServiceAccount (see System.serviceAccountKubeconfig). */
  serviceAccountKubeconfig?: (pod: PodView) => string | undefined;
  /** The simulated CPU: a scheduler, or options for one (its slice timer is real time unless given). */
  cpu?: CpuScheduler | CpuSchedulerOptions;
}

export interface ContainerExit {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  exitCode: number;
  reason: string;
}

export interface Runtime extends ContainerRuntime, PodIO {
  /** Run a command in a container as exec would (for tests and the WebSocket handler). */
  run(pod: StoredObject, container: string | undefined, argv: string[], stdin?: string): Promise<ExecOutcome>;
  /** Be told when a running container's main process ends by itself (sleep 10 finished, …). */
  onExit(listener: (exit: ContainerExit) => void): () => void;
  /** The network, for tests and tools: DNS queries, kube-proxy decisions. */
  readonly network: Network;
  /** The simulated CPU every container's processes are metered on. */
  readonly cpu: CpuScheduler;
}

/** Exit codes when the kubelet stops a container: servers exit 0 on SIGTERM; a shell as PID 1 ignores it and is killed. */
function stopExitCode(inst: ContainerInstance): number {
  const repo = inst.image.repos[0] ?? '';
  return ['nginx', 'postgres', 'redis', 'mysql', 'registry.k8s.io/pause', 'prom/node-exporter', 'registry.k8s.io/coredns/coredns'].includes(repo) ? 0 : repo === 'hashicorp/http-echo' ? 2 : 137;
}

/** OOM-killed before its first pause (a doubling loop is quick to reach any limit): exited 137. */
function orOomKilled(start: () => Driven<number>): Driven<number> {
  try {
    return start();
  } catch (e) {
    if (!(e instanceof OomKilled)) throw e;
    return { done: true, value: 137 };
  }
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { store, clock, rng } = options;
  const waiter: Waiter = { clock, timeoutScale: options.timeoutScale ?? 0.01 };
  const containers = new Containers();
  const network = new Network(store, clock, rng, containers, options.serviceAccountKubeconfig);
  const exitListeners = new Set<(exit: ContainerExit) => void>();
  const cpu = options.cpu instanceof CpuScheduler ? options.cpu : new CpuScheduler(options.cpu);
  /** Exit reason of a main process that ended: OOMKilled when its memory meter says so. */
  const exitReason = (inst: ContainerInstance, code: number): string => (inst.memory?.oomKilled ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error');

  const notifyExit = (inst: ContainerInstance): void => {
    const exit: ContainerExit = { namespace: inst.namespace, pod: inst.pod.metadata.name, uid: inst.pod.metadata.uid ?? '', container: inst.name, exitCode: inst.exitCode, reason: inst.reason };
    for (const l of [...exitListeners]) l(exit);
  };

  // A deleted Pod's containers stop even if nobody called stop().
  store.subscribe((e) => {
    if (e.resource !== 'pods' || e.type !== 'DELETED') return;
    for (const inst of containers.dropPod(e.object.metadata.uid)) {
      inst.kill?.();
      inst.terminate(stopExitCode(inst), 'Completed', clock.now());
    }
  });

  function start(podObj: KubeObject, name: string): StartResult {
    const pod = parsePod(podObj);
    const spec = findContainer(pod, name);
    if (!spec) return { state: 'exited', exitCode: 128, reason: 'StartError', logs: [`container "${name}" not found in pod spec`] };
    const image = imageFor(spec.image);
    if (!image) return { state: 'exited', exitCode: 128, reason: 'StartError', logs: [`image ${spec.image} is not known to the simulated runtime`] };
    let vars: Map<string, string>;
    try {
      vars = kubeletEnv(store, pod, spec);
    } catch (e) {
      if (e instanceof ContainerConfigError) return { state: 'configError', message: e.message };
      throw e;
    }
    const uid = pod.metadata.uid ?? pod.metadata.name;
    const old = containers.get(uid, name)?.current;
    if (old?.state === 'running') {
      old.kill?.();
      old.terminate(stopExitCode(old), 'Completed', clock.now());
    }
    const hostname = podHostname(pod);
    const env = containerEnv(vars, image.env, hostname);
    const argv = processArgv(spec, image.entrypoint, image.cmd, vars);
    const inst = new ContainerInstance(pod, spec, image, env, hostname, containerFiles(pod), () => clock.now());
    const limits = containerLimits(spec.resources);
    const account = cpu.account({ namespace: inst.namespace, pod: pod.metadata.name, container: name }, limits.cpuCores);
    inst.cpu = account;
    inst.memory = new MemoryMeter(limits.memoryBytes ?? DEFAULT_MEMORY_LIMIT_BYTES);
    inst.memory.onOom = () => {
      // memory.oom.group: the whole container ends, whichever of its processes (main or an
      // exec) crossed the limit. After the current step, so the main process's own 137 lands first.
      queueMicrotask(() => {
        if (inst.state !== 'running' || !inst.kill) return;
        inst.kill();
        inst.terminate(137, 'OOMKilled', clock.now());
        notifyExit(inst);
      });
    };
    inst.onTerminate = () => cpu.release(account);
    containers.add(uid, inst);
    const program = image.programs[(argv[0] ?? '').split('/').pop() ?? ''];
    if (!program) {
      const msg = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown`;
      inst.terminate(128, 'StartError', clock.now());
      return { state: 'exited', exitCode: 128, reason: 'StartError', logs: [msg] };
    }
    // The main process's stdio: the log, attached clients, and stdin/tty when the spec asks (kubectl run -it).
    const console = new Console(spec, waiter, (stream, s) => inst.log(stream, s));
    inst.console = console;
    const d = orOomKilled(() => drive(program(argv, { io: console.io, env, self: inst, sys: network }), waiter));
    if (d.done) {
      inst.terminate(d.value, exitReason(inst, d.value), clock.now());
      return { state: 'exited', exitCode: d.value, reason: inst.reason, logs: inst.logs.lines.map((l) => l.text.replace(/\n$/, '')) };
    }
    inst.kill = d.cancel;
    if (console.terminal) {
      // Ctrl-C typed at an attached terminal whose main process is not an interactive shell: SIGINT kills it.
      console.terminal.onInterrupt = () => {
        if (inst.state !== 'running') return;
        d.cancel();
        inst.terminate(130, 'Error', clock.now());
        notifyExit(inst);
      };
    }
    d.promise.then(
      (code) => {
        if (inst.state !== 'running') return; // already ended (OOM-killed as a whole)
        inst.terminate(code, exitReason(inst, code), clock.now());
        notifyExit(inst);
      },
      (e: unknown) => {
        if (e instanceof Killed) return;
        if (e instanceof OomKilled) {
          inst.terminate(137, 'OOMKilled', clock.now());
          notifyExit(inst);
          return;
        }
        inst.log('stderr', `${e instanceof Error ? e.message : String(e)}\n`);
        inst.terminate(1, 'Error', clock.now());
        notifyExit(inst);
      },
    );
    return { state: 'running' };
  }

  function stop(podObj: KubeObject, name: string): void {
    const uid = podObj.metadata.uid ?? podObj.metadata.name ?? '';
    const inst = containers.get(uid, name)?.current;
    if (!inst || inst.state !== 'running') return;
    inst.kill?.();
    inst.terminate(stopExitCode(inst), stopExitCode(inst) === 0 ? 'Completed' : 'Error', clock.now());
  }

  /**
   * parsePod for a probe, remembered per Pod object when that object is frozen (the
   * kubelet hands the same frozen Pod to every probe until its status changes): parsing
   * the whole Pod with zod each probe period was a large share of an idle cluster's CPU.
   */
  const probeViews = new WeakMap<object, PodView>();
  function probeView(podObj: KubeObject): PodView {
    if (!Object.isFrozen(podObj)) return parsePod(podObj);
    let view = probeViews.get(podObj);
    if (!view) probeViews.set(podObj, (view = parsePod(podObj)));
    return view;
  }

  /** The running instance, starting it lazily when the Pod's status says it runs (fixtures, restarts of the simulator). */
  function running(pod: PodView, podObj: KubeObject, name: string): ContainerInstance | undefined {
    const uid = pod.metadata.uid ?? pod.metadata.name;
    const cur = containers.get(uid, name)?.current;
    if (cur?.state === 'running') return cur;
    if (cur) return undefined;
    const status = pod.status?.containerStatuses?.find((s) => s.name === name);
    if (!status?.state?.running) return undefined;
    start(podObj, name);
    const now = containers.get(uid, name)?.current;
    return now?.state === 'running' ? now : undefined;
  }

  const runtime: Runtime = {
    network,
    cpu,
    canPull: (image) => imageFor(image) !== undefined,
    hasRepository: repositoryExists,
    pullFailure,
    start,
    stop,
    probe(podObj, name, probe): ProbeResult {
      const pod = probeView(podObj);
      const inst = running(pod, podObj, name);
      return probeContainer({ pod, container: name, instance: inst, probe, network, waiter });
    },
    run(podObj, container, argv, stdin) {
      const pod = parsePod(podObj);
      const name = container ?? pod.spec.containers[0]?.name ?? '';
      const inst = running(pod, podObj, name);
      if (!inst) return Promise.reject(new Error(`container ${name} of pod ${pod.metadata.name} is not running`));
      let stdout = '';
      let stderr = '';
      return execInContainer({
        instance: inst, network, waiter, rng, argv,
        stdin: stdin === undefined ? emptyStdin : stringStdin(stdin),
        out: (s) => { stdout += s; }, err: (s) => { stderr += s; },
      }).then((o) => ({ ...o, stdout, stderr }));
    },
    onExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    exec(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest): void {
      execServer.handle(req, socket, head, request);
    },
    attach(req: IncomingMessage, socket: Duplex, head: Buffer, request: AttachRequest): void {
      attachServer.handle(req, socket, head, request);
    },
    logs(request: LogRequest, res: ServerResponse): void {
      serveLogs(containers, clock, request, res);
    },
    dial(podObj, port) {
      const pod = parsePod(podObj);
      // Containers the status says run are started lazily, so their listeners exist.
      for (const c of pod.spec.containers) running(pod, podObj, c.name);
      return dialInPod(network, pod, port, 32768 + Math.floor(rng.next() * 28000));
    },
  };
  const execServer = new ExecServer({
    resolve: (pod, container) => {
      const view = parsePod(pod);
      return running(view, pod, container);
    },
    network, waiter, rng,
  });
  const attachServer = new AttachServer({ resolve: (pod, container) => running(parsePod(pod), pod, container) });
  return runtime;
}

export type { ExecOutcome } from './exec/run.ts';
