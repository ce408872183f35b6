// Memory of simulated processes, metered like a cgroup's memory.max: shells reserve the
// bytes their variables hold (UTF-16, two bytes a character; a subshell holds its own
// copy) and give them back when they end. Past the container's memory limit the
// container is OOM-killed: exit 137, reason OOMKilled — as the kernel's OOM killer ends a
// container whose string-doubling loop grows without bound (with memory.oom.group, the
// whole container, as the kubelet sets it on cgroup v2).
// Source: mm/memcontrol.c (memory.max, memory.oom.group), pkg/kubelet/cm (oom.group = 1)

/** Memory for containers without a limit: the server's protection, not a node's size. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 ** 2;

/** Thrown through the process when its container is OOM-killed; nothing in it catches this. */
export class OomKilled extends Error {
  constructor(readonly limitBytes: number) {
    super(`container exceeded its memory limit of ${limitBytes} bytes`);
    this.name = 'OomKilled';
  }
}

export class MemoryMeter {
  private held = 0;
  /** Set once the limit was crossed: the container's reason becomes OOMKilled. */
  oomKilled = false;
  /** Told when the limit is crossed (the runtime ends the whole container, memory.oom.group). */
  onOom: (() => void) | undefined;

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.held;
  }

  /** Take (or, negative, give back) bytes; crossing the limit throws OomKilled. */
  reserve(bytes: number): void {
    const next = Math.max(0, this.held + bytes);
    if (bytes > 0 && next > this.limitBytes) {
      this.oomKilled = true;
      this.onOom?.();
      throw new OomKilled(this.limitBytes);
    }
    this.held = next;
  }
}

/** Bytes a string takes in memory. */
export const stringBytes = (s: string): number => s.length * 2;
