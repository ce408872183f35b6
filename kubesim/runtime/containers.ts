// The container instances the runtime keeps: one current instance per (Pod uid,
// container) and the last terminated one (what `kubectl logs --previous` reads).

import type { ContainerSpec, PodView } from './podspec.ts';
import { podNamespace } from './podspec.ts';
import type { ContainerHandle, ImageDef, Listener } from './images/types.ts';
import { LogBuffer } from './logs/buffer.ts';
import type { CpuAccount } from './cpu/scheduler.ts';
import type { MemoryMeter } from './cpu/memory.ts';
import type { Console } from './tty/console.ts';

export class ContainerInstance implements ContainerHandle {
  readonly listeners: Listener[] = [];
  readonly logs: LogBuffer;
  state: 'running' | 'exited' = 'running';
  exitCode = 0;
  reason = '';
  finishedAt = 0;
  readonly startedAt: number;
  /** Stops the main process (set once it waits). */
  kill: (() => void) | undefined;
  /** CPU and memory meters, set by the runtime from the container's limits. */
  cpu: CpuAccount | undefined;
  memory: MemoryMeter | undefined;
  /** Called once when the instance terminates (the runtime releases its CPU account). */
  onTerminate: (() => void) | undefined;
  /** The main process's stdio for attach (set when it starts). */
  console: Console | undefined;

  constructor(
    readonly pod: PodView,
    readonly spec: ContainerSpec,
    readonly image: ImageDef,
    readonly env: Map<string, string>,
    readonly hostname: string,
    private readonly files: Map<string, string>,
    now: () => number,
  ) {
    this.logs = new LogBuffer(now);
    this.startedAt = now();
  }

  get name(): string {
    return this.spec.name;
  }
  get namespace(): string {
    return podNamespace(this.pod);
  }
  get podIP(): string {
    return this.pod.status?.podIP ?? '';
  }
  get nodeName(): string {
    return this.pod.spec.nodeName ?? '';
  }

  listen(listener: Listener): void {
    if (this.state !== 'running') return;
    this.listeners.push(listener);
  }

  log(stream: 'stdout' | 'stderr', text: string): void {
    this.logs.write(stream, text);
  }

  file(path: string): string | undefined {
    return this.files.get(path);
  }

  writeFile(path: string, content: string, append: boolean): void {
    this.files.set(path, (append ? this.files.get(path) ?? '' : '') + content);
  }

  /** Mark the instance terminated; listeners close with it. */
  terminate(exitCode: number, reason: string, at: number): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.exitCode = exitCode;
    this.reason = reason;
    this.finishedAt = at;
    this.listeners.length = 0;
    this.logs.end();
    this.onTerminate?.();
    this.console?.end();
  }
}

interface Slot {
  current?: ContainerInstance;
  previous?: ContainerInstance;
}

export class Containers {
  private readonly slots = new Map<string, Slot>();
  /**
   * Slots by the Pod IP of their current instance. Every probe and every connection
   * looks a Pod up by IP; scanning all slots made each lookup cost as much as the
   * whole cluster, so idle probing grew with the square of the learners.
   */
  private readonly byIP = new Map<string, Set<Slot>>();

  private key(uid: string, name: string): string {
    return `${uid}/${name}`;
  }

  slot(uid: string, name: string): Slot {
    const k = this.key(uid, name);
    let s = this.slots.get(k);
    if (!s) {
      s = {};
      this.slots.set(k, s);
    }
    return s;
  }

  get(uid: string, name: string): Slot | undefined {
    return this.slots.get(this.key(uid, name));
  }

  /** A new instance replaces the current one, which becomes "previous" if it ran. */
  add(uid: string, inst: ContainerInstance): void {
    const s = this.slot(uid, inst.name);
    if (s.current) {
      s.previous = s.current;
      this.unindex(s);
    }
    s.current = inst;
    let set = this.byIP.get(inst.podIP);
    if (!set) this.byIP.set(inst.podIP, (set = new Set()));
    set.add(s);
  }

  /** Running instances of the Pod whose IP this is. */
  byPodIP(ip: string): ContainerInstance[] {
    const out: ContainerInstance[] = [];
    for (const s of this.byIP.get(ip) ?? []) if (s.current?.state === 'running' && s.current.podIP === ip) out.push(s.current);
    return out;
  }

  private unindex(s: Slot): void {
    const ip = s.current?.podIP;
    if (ip === undefined) return;
    const set = this.byIP.get(ip);
    set?.delete(s);
    if (set?.size === 0) this.byIP.delete(ip);
  }

  /** Forget a deleted Pod. */
  dropPod(uid: string): ContainerInstance[] {
    const out: ContainerInstance[] = [];
    for (const [k, s] of this.slots) {
      if (!k.startsWith(`${uid}/`)) continue;
      if (s.current) out.push(s.current);
      this.unindex(s);
      this.slots.delete(k);
    }
    return out;
  }
}
