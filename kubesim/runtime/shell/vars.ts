// A shell's variables, metered: every value's bytes are reserved on the container's
// memory meter (a runaway `x=$x$x` ends in OOMKilled, not in the server running out
// of heap) and building a long value costs CPU (a unit a KiB) on its CPU account.

import type { CpuAccount } from '../cpu/scheduler.ts';
import { stringBytes, type MemoryMeter } from '../cpu/memory.ts';

const BYTES_PER_CPU_UNIT = 1024;

export class MeteredVars extends Map<string, string> {
  private held = 0;

  constructor(private readonly memory: MemoryMeter | undefined, private readonly cpu: CpuAccount | undefined) {
    super();
  }

  override set(key: string, value: string): this {
    const before = super.get(key);
    const delta = stringBytes(value) - (before === undefined ? 0 : stringBytes(before));
    if (this.memory && delta !== 0) {
      // Counted before the store, so a refused value is not held either.
      this.memory.reserve(delta);
      this.held += delta;
    }
    if (this.cpu && value.length >= BYTES_PER_CPU_UNIT) this.cpu.charge(Math.floor(stringBytes(value) / BYTES_PER_CPU_UNIT));
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const before = super.get(key);
    if (before !== undefined && this.memory) {
      this.memory.reserve(-stringBytes(before));
      this.held -= stringBytes(before);
    }
    return super.delete(key);
  }

  /** The shell ended: give its bytes back. */
  release(): void {
    this.memory?.reserve(-this.held);
    this.held = 0;
  }
}
