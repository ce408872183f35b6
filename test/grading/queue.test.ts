import { describe, expect, it } from 'vitest';
import { ConcurrencyQueue } from '../../server/grading/queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyQueue', () => {
  it('never runs more than the limit at once, and starts waiters in arrival order', async () => {
    const queue = new ConcurrencyQueue(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let max = 0;
    const runs = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        max = Math.max(max, queue.active);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(queue.queued).toBe(3);
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(max).toBe(2);
    expect(queue.active).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const queue = new ConcurrencyQueue(1);
    await expect(queue.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });

  it.each([0, -1, 1.5])('rejects a limit of %s', (limit) => {
    expect(() => new ConcurrencyQueue(limit)).toThrow(RangeError);
  });
});
