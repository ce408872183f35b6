// A FIFO with a global concurrency limit (KUBELAB_GRADING_CONCURRENCY): grades exec
// into Pods and create probes, so a classroom clicking at once must not stampede the cluster.
export class ConcurrencyQueue {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never dips and lets a newcomer jump the line.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
