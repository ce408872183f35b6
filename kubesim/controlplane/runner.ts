// The work loop every controller shares. Store listeners only enqueue keys; queues are
// drained later on a fresh macrotask (setImmediate), never re-entrantly inside a store
// write. Timers go through the injected Clock and also only enqueue. With a
// ManualClock this makes a run a pure function of (inputs, seed, advances).
// Mirrors client-go's workqueue: a key queued twice before processing is processed once.

import type { Clock, TimerHandle } from '../core/clock.ts';
import { isStored, RESOURCES } from '../core/registry.ts';
import type { Store } from '../core/store.ts';
import type { StoreEvent } from '../core/types.ts';

export interface Controller {
  name: string;
  /** The keys of this controller's queue a store change concerns. */
  keysFor(event: StoreEvent): readonly string[];
  reconcile(key: string): void;
}

export type ErrorReporter = (controller: string, key: string, error: unknown) => void;

/** How many reconciles run before yielding the event loop (keeps a real-clock server responsive). */
const BATCH = 500;

export interface RunnerOptions {
  /**
   * Wake-ups (enqueueAfter) are rounded up to a multiple of this many clock ms and those
   * in one slot share one timer and one drain: a timer wheel. An idle cluster is mostly
   * probe periods coming due, one timer per Pod each; sharing slots makes that cost grow
   * with the slots per second rather than with the Pods. 0 (the default, and what tests
   * on a ManualClock get): every wake-up its own timer, exactly on time.
   */
  wakeSlotMs?: number;
}

interface Slot {
  handle: TimerHandle;
  members: Map<string, { controller: Controller; key: string }>;
}

export class Runner {
  private readonly queues = new Map<Controller, Set<string>>();
  private readonly timers = new Set<TimerHandle>();
  private readonly wakeups = new Map<string, { at: number; handle: TimerHandle }>();
  /** With wakeSlotMs: the wake-ups of each slot (by its time) and the one timer they share. */
  private readonly slots = new Map<number, Slot>();
  private readonly slotAt = new Map<string, number>();
  private readonly wakeSlotMs: number;
  private readonly waiters: (() => void)[] = [];
  private scheduled = false;
  private running = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: ErrorReporter,
    options: RunnerOptions = {},
  ) {
    this.wakeSlotMs = options.wakeSlotMs && options.wakeSlotMs > 0 ? options.wakeSlotMs : 0;
  }

  add(controller: Controller): void {
    this.queues.set(controller, new Set());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.subscribe((event) => this.dispatch(event));
    this.kick();
  }

  stop(): void {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.wakeups.clear();
    for (const slot of this.slots.values()) slot.handle.cancel();
    this.slots.clear();
    this.slotAt.clear();
    for (const q of this.queues.values()) q.clear();
    this.release();
  }

  /** Feed every stored object to every controller as if just added. */
  resync(): void {
    for (const def of RESOURCES) {
      if (!isStored(def)) continue;
      for (const object of this.store.list(def.key)) {
        this.dispatch({ type: 'ADDED', resource: def.key, object, resourceVersion: this.store.resourceVersion });
      }
    }
  }

  enqueue(controller: Controller, key: string): void {
    this.queues.get(controller)?.add(key);
    this.kick();
  }

  /**
   * Enqueue `key` after `ms` of the injected clock. One wake-up per (controller, key):
   * asking again keeps whichever comes first, so periodic requeues never pile up.
   */
  enqueueAfter(controller: Controller, key: string, ms: number): void {
    const id = `${controller.name}\u0000${key}`;
    if (this.wakeSlotMs > 0) {
      this.enqueueInSlot(controller, key, id, ms);
      return;
    }
    const at = this.clock.now() + Math.max(0, ms);
    const existing = this.wakeups.get(id);
    if (existing && existing.at <= at) return;
    existing?.handle.cancel();
    if (existing) this.timers.delete(existing.handle);
    const handle = this.clock.after(ms, () => {
      this.timers.delete(handle);
      this.wakeups.delete(id);
      if (this.running) this.enqueue(controller, key);
    });
    this.timers.add(handle);
    this.wakeups.set(id, { at, handle });
  }

  /** enqueueAfter with a timer wheel: the wake-up joins the slot its time rounds up to. */
  private enqueueInSlot(controller: Controller, key: string, id: string, ms: number): void {
    const now = this.clock.now();
    const at = Math.ceil((now + Math.max(0, ms)) / this.wakeSlotMs) * this.wakeSlotMs;
    const existing = this.slotAt.get(id);
    if (existing !== undefined && existing <= at) return;
    if (existing !== undefined) {
      const old = this.slots.get(existing);
      old?.members.delete(id);
      if (old && old.members.size === 0) {
        old.handle.cancel();
        this.slots.delete(existing);
      }
    }
    let slot = this.slots.get(at);
    if (!slot) {
      const handle = this.clock.after(at - now, () => {
        const due = this.slots.get(at);
        if (due?.handle !== handle) return;
        this.slots.delete(at);
        for (const [member, wake] of due.members) {
          this.slotAt.delete(member);
          if (this.running) this.enqueue(wake.controller, wake.key);
        }
      });
      slot = { handle, members: new Map() };
      this.slots.set(at, slot);
    }
    slot.members.set(id, { controller, key });
    this.slotAt.set(id, at);
  }

  /** Resolves once every queue is empty (timers may still be pending). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private busy(): boolean {
    if (!this.running) return false;
    if (this.scheduled) return true;
    for (const q of this.queues.values()) if (q.size > 0) return true;
    return false;
  }

  private dispatch(event: StoreEvent): void {
    for (const [controller, queue] of this.queues) {
      for (const key of controller.keysFor(event)) queue.add(key);
    }
    this.kick();
  }

  private kick(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    let budget = BATCH;
    let progressed = true;
    while (this.running && progressed && budget > 0) {
      progressed = false;
      for (const [controller, queue] of this.queues) {
        // Most wake-ups concern one controller (a probe period for the kubelet): skip the empty queues.
        if (queue.size === 0) continue;
        const keys = [...queue];
        queue.clear();
        for (const key of keys) {
          progressed = true;
          budget--;
          try {
            controller.reconcile(key);
          } catch (error) {
            this.onError(controller.name, key, error);
          }
          if (!this.running) break;
        }
      }
    }
    if (this.busy()) this.kick();
    else this.release();
  }

  private release(): void {
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w();
  }
}
