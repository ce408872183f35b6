// What an image is to the simulator: its ENTRYPOINT/CMD/ENV, the programs it ships
// (shell, coreutils, servers) and what /bin/sh is. A container's main process and
// every exec run one of these programs.

import type { Clock, Rng } from '../../core/clock.ts';
import type { HttpRequest, HttpResponse } from '../net/http.ts';
import type { ContainerSpec, PodView } from '../podspec.ts';
import type { Proc } from '../proc.ts';
import type { CpuAccount } from '../cpu/scheduler.ts';
import type { MemoryMeter } from '../cpu/memory.ts';

export interface Peer {
  ip: string;
  port: number;
}

export interface Listener {
  port: number;
  protocol: 'TCP' | 'UDP';
  /** HTTP servers answer a parsed request (and write their own access log). */
  http?: (req: HttpRequest, peer: Peer) => HttpResponse;
  /** Other TCP servers: the reply to the bytes a client sent (redis: PING → +PONG). */
  tcp?: (data: string, peer: Peer) => string;
}

export interface Stdin {
  /** Everything until EOF (the exec client half-closed stdin, or none was attached). */
  readAll(): Proc<string>;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
  stdin: Stdin;
  /** Set when stdin is a terminal (exec -t, a container with tty: true): shells go interactive. */
  tty?: Tty;
}

/** What a terminal's reader gets: a typed line (with its newline), Ctrl-C at the prompt, or end of input. */
export type TtyRead = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

/** A controlling terminal as an interactive shell uses it. */
export interface Tty {
  /** The next line typed; Ctrl-C or Ctrl-D / hang-up instead when they come first. */
  readLine(): Proc<TtyRead>;
  /** Run a command in the foreground: Ctrl-C stops it and the result says so. */
  foreground<T>(proc: Proc<T>): Proc<{ interrupted: false; value: T } | { interrupted: true }>;
}

/** The container a program runs in. */
export interface ContainerHandle {
  readonly pod: PodView;
  readonly spec: ContainerSpec;
  readonly name: string;
  readonly namespace: string;
  readonly podIP: string;
  readonly nodeName: string;
  readonly hostname: string;
  readonly image: ImageDef;
  listen(listener: Listener): void;
  /** Append to this container's log (what `kubectl logs` shows). */
  log(stream: 'stdout' | 'stderr', text: string): void;
  /** Files the container sees (/etc/resolv.conf, /etc/hosts, ...). */
  file(path: string): string | undefined;
  /** Write a file in the container's writable layer (shell redirections). */
  writeFile(path: string, content: string, append: boolean): void;
  /** The container's CPU account (work is charged to it; absent: unmetered). */
  readonly cpu?: CpuAccount | undefined;
  /** The container's memory meter (absent: unmetered). */
  readonly memory?: MemoryMeter | undefined;
}

export type ConnectResult =
  | { kind: 'ok'; listener: Listener; server: ContainerHandle; serverIp: string; serverPort: number; peer: Peer }
  /** Nothing listens / kube-proxy REJECT: fails at once. */
  | { kind: 'refused' }
  /** Dropped (NetworkPolicy, internalTrafficPolicy Local with no local endpoint, no route): the client times out. */
  | { kind: 'drop' };

export type DnsType = 'A' | 'AAAA' | 'SRV' | 'PTR';

export interface DnsRecord {
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR';
  /** A: the address; SRV: "prio weight port target"; CNAME/PTR: the target. */
  data: string;
}

export type DnsReply = { rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'; answers: DnsRecord[] } | { rcode: 'TIMEOUT'; answers: [] };

/** The world outside the container, as a program reaches it. */
export interface System {
  clock: Clock;
  rng: Rng;
  /** One DNS query to the Pod's nameserver (no search list; callers apply it). */
  query(self: ContainerHandle, name: string, type: DnsType): DnsReply;
  connect(self: ContainerHandle, ip: string, port: number, protocol: 'TCP' | 'UDP'): ConnectResult;
  /**
   * What kubectl inside this container builds from its in-cluster config: the API
   * server, its CA, a token of the Pod's ServiceAccount and the Pod's namespace, as a
   * kubeconfig. Undefined without a mounted token (automountServiceAccountToken: false)
   * or when the cluster offers no API to its Pods (bare unit fixtures).
   */
  serviceAccountKubeconfig?(self: ContainerHandle): string | undefined;
}

export interface ProcCtx {
  io: Io;
  /** The exported environment (shells copy it for their variables). */
  env: Map<string, string>;
  self: ContainerHandle;
  sys: System;
}

export type Program = (argv: string[], ctx: ProcCtx) => Proc<number>;

/** /bin/sh's flavour decides the shape of its error messages. */
export type ShellFlavor = 'ash' | 'dash' | 'bash';

export interface ImageDef {
  /** Repositories this definition serves, normalised ("nginx", "hashicorp/http-echo"). */
  repos: string[];
  entrypoint: string[];
  cmd: string[];
  /** ENV from the image config, in order. */
  env: [string, string][];
  shell?: ShellFlavor;
  programs: Record<string, Program>;
}
