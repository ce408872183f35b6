// Who has a lab page open right now: the exercise page keeps one live-view stream open,
// so counting streams per learner tells the dashboard "active now" without polling.
export class Presence {
  readonly #open = new Map<number, number>();
  readonly #listeners = new Set<(userId: number) => void>();

  /** Called when a learner arrives or leaves (the dashboard's live stream listens). */
  onChange(listener: (userId: number) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(userId: number): void {
    for (const listener of [...this.#listeners]) listener(userId);
  }

  /** Marks the learner present until the returned function is called. */
  enter(userId: number): () => void {
    const before = this.#open.get(userId) ?? 0;
    this.#open.set(userId, before + 1);
    if (before === 0) this.#changed(userId);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const n = (this.#open.get(userId) ?? 1) - 1;
      if (n > 0) return void this.#open.set(userId, n);
      this.#open.delete(userId);
      this.#changed(userId);
    };
  }

  isPresent(userId: number): boolean {
    return this.#open.has(userId);
  }
}
