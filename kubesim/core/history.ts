// The watch history's memory bound. A count alone does not bound memory: 20,000 events
// of 1 MiB ConfigMaps would pin 20 GiB. So the oldest events also go once the history
// holds more than a byte budget (the objects' JSON size, the prior version included);
// a watch from before the oldest kept event gets 410 Gone, as from a compacted etcd.
import type { StoreEvent } from './types.ts';

/** Default count bound: events a watch can resume across. */
export const DEFAULT_HISTORY_SIZE = 20_000;
/** Default byte budget: far above what the lessons write, far below the machine's memory. */
export const DEFAULT_HISTORY_BYTES = 64 * 1024 * 1024;

export function eventBytes(event: StoreEvent): number {
  return JSON.stringify(event.object).length + (event.old ? JSON.stringify(event.old).length : 0);
}

/** Sizes of the events in a history, oldest first, and how many to drop to stay in bounds. */
export class HistoryBudget {
  private readonly sizes: number[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  /**
   * Record `event` as appended; returns how many of the oldest events already in the
   * history the caller must drop (before or after appending it). The newest always stays.
   */
  add(event: StoreEvent): number {
    const size = eventBytes(event);
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    while (this.sizes.length - drop > 1 && (this.sizes.length - drop > this.maxEvents || this.bytes > this.maxBytes)) {
      this.bytes -= this.sizes[drop]!;
      drop++;
    }
    if (drop > 0) this.sizes.splice(0, drop);
    return drop;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
