// The runner's wake-ups: exact by default; with wakeSlotMs, a timer wheel whose slots
// share one timer, never firing a wake-up early.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import { Store } from '../core/store.ts';
import { Runner, type Controller } from './runner.ts';

function world(wakeSlotMs?: number) {
  const clock = new ManualClock(0);
  const store = new Store({ clock });
  const runner = new Runner(store, clock, (c, k, e) => { throw new Error(`${c} ${k}: ${String(e)}`); }, { wakeSlotMs });
  const seen: { key: string; at: number }[] = [];
  const controller: Controller = { name: 'c', keysFor: () => [], reconcile: (key) => { seen.push({ key, at: clock.now() }); } };
  runner.add(controller);
  runner.start();
  return { clock, runner, controller, seen };
}

describe('Runner wake-ups', () => {
  it('wakes each key exactly on time by default', async () => {
    const { clock, runner, controller, seen } = world();
    runner.enqueueAfter(controller, 'a', 3);
    runner.enqueueAfter(controller, 'b', 7);
    expect(clock.pending()).toBe(2);
    clock.advance(3);
    await runner.idle();
    clock.advance(4);
    await runner.idle();
    expect(seen).toEqual([{ key: 'a', at: 3 }, { key: 'b', at: 7 }]);
  });

  it('with slots, wake-ups of one slot share a timer and run at its end, never before they are due', async () => {
    const { clock, runner, controller, seen } = world(10);
    runner.enqueueAfter(controller, 'a', 3);
    runner.enqueueAfter(controller, 'b', 7);
    runner.enqueueAfter(controller, 'c', 10);
    runner.enqueueAfter(controller, 'd', 12);
    expect(clock.pending()).toBe(2);
    clock.advance(9);
    await runner.idle();
    expect(seen).toEqual([]);
    clock.advance(1);
    await runner.idle();
    expect(seen.map((s) => `${s.key}@${s.at}`)).toEqual(['a@10', 'b@10', 'c@10']);
    clock.advance(10);
    await runner.idle();
    expect(seen.map((s) => `${s.key}@${s.at}`)).toEqual(['a@10', 'b@10', 'c@10', 'd@20']);
  });

  it('with slots, asking for a key again keeps the earlier slot and drops a slot left empty', async () => {
    const { clock, runner, controller, seen } = world(10);
    runner.enqueueAfter(controller, 'a', 25);
    runner.enqueueAfter(controller, 'a', 35); // later: the earlier wake-up stays
    expect(clock.pending()).toBe(1);
    runner.enqueueAfter(controller, 'a', 4); // sooner: moves to slot 10, slot 30 is cancelled
    expect(clock.pending()).toBe(1);
    clock.advance(10);
    await runner.idle();
    clock.advance(30);
    await runner.idle();
    expect(seen).toEqual([{ key: 'a', at: 10 }]);
  });

  it('with slots, stop cancels every pending slot', () => {
    const { clock, runner, controller } = world(10);
    runner.enqueueAfter(controller, 'a', 5);
    runner.enqueueAfter(controller, 'b', 15);
    runner.stop();
    expect(clock.pending()).toBe(0);
  });
});
