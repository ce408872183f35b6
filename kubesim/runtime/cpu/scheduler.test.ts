// The CPU scheduler on its own: quota per slice, throttling until the next slice, the
// host's share split among busy namespaces, breathers within budget. A ManualClock is
// the slice timer, so every assertion is about units and decisions, never wall time.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { CpuScheduler } from './scheduler.ts';
import { containerLimits } from './limits.ts';

const SLICE = 100;
/** Let every pending promise reaction run (the breathers here are microtasks). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function scheduler(hostCores = 16): { clock: ManualClock; cpu: CpuScheduler; breaths: () => number } {
  // Start on a slice boundary so "the next slice" is exactly SLICE ms away.
  const clock = new ManualClock(1_000_000);
  let breaths = 0;
  const cpu = new CpuScheduler({ timer: clock, sliceMs: SLICE, unitsPerCore: 1000, hostCores, burstUnits: 300, breather: () => { breaths++; return Promise.resolve(); } });
  return { clock, cpu, breaths: () => breaths };
}

describe('CPU scheduler', () => {
  it('lets a 500m container spend 500 units a slice, then throttles it until the next slice', async () => {
    const { clock, cpu } = scheduler();
    const acct = cpu.account({ namespace: 'a', pod: 'p', container: 'c' }, 0.5);
    expect(acct.quota).toBe(500);
    acct.charge(499);
    expect(acct.checkpoint()).toBeDefined(); // a breather: 499 ≥ burst 300, but within quota
    acct.charge(1);
    let woke = false;
    const wait = acct.checkpoint();
    expect(wait).toBeDefined();
    void wait?.then(() => { woke = true; });
    clock.advance(SLICE - 1);
    await flush();
    expect(woke).toBe(false);
    clock.advance(1);
    await flush();
    expect(woke).toBe(true);
    expect(acct.usedThisSlice).toBe(0);
    expect(acct.cpuStat()).toEqual({ usageUnits: 500, periods: 2, throttled: 1 });
  });

  it('steps aside every burst even within quota, and not before', () => {
    const { cpu, breaths } = scheduler();
    const acct = cpu.account({ namespace: 'a', pod: 'p', container: 'c' }, 4);
    for (let i = 0; i < 900; i++) {
      acct.charge(1);
      void acct.checkpoint();
    }
    expect(breaths()).toBe(3);
    expect(acct.cpuStat().throttled).toBe(0);
  });

  it('splits the host among busy namespaces: eleven 1-core containers in one namespace get half of a 4-core host when another namespace is busy', () => {
    const { cpu } = scheduler(4);
    const noisy = Array.from({ length: 11 }, (_, i) => cpu.account({ namespace: 'noisy', pod: `spin-${i}`, container: 'spin' }, 1));
    const quiet = cpu.account({ namespace: 'quiet', pod: 'grader', container: 'probe' }, 1);
    /** Run like a busy loop: check in, stop once throttled, else do 10 units more. */
    const spin = (a: typeof quiet): void => {
      for (;;) {
        void a.checkpoint();
        if (a.cpuStat().throttled > 0) return;
        a.charge(10);
      }
    };
    for (const a of noisy) a.charge(10);
    quiet.charge(10);
    expect(cpu.namespaceShare()).toBe(2000);
    for (const a of noisy) spin(a);
    // The first stops at its quota, the second at the namespace's share (2000 with what all had run), the rest at once.
    expect(noisy.map((a) => a.usedThisSlice)).toEqual([1000, 910, ...Array(9).fill(10)]);
    expect(cpu.namespaceUsed('noisy')).toBe(2000);
    // The quiet namespace still gets its container's whole quota in this slice.
    spin(quiet);
    expect(quiet.usedThisSlice).toBe(1000);
  });

  it('gives a namespace the whole host once the others have been idle for a slice', () => {
    const { clock, cpu } = scheduler(4);
    const a = cpu.account({ namespace: 'a', pod: 'p', container: 'c' }, undefined);
    const b = cpu.account({ namespace: 'b', pod: 'p', container: 'c' }, undefined);
    a.charge(1);
    b.charge(1);
    expect(cpu.namespaceShare()).toBe(2000);
    clock.advance(SLICE);
    a.charge(1);
    expect(cpu.namespaceShare()).toBe(2000); // b was busy in the slice just ended
    clock.advance(SLICE);
    a.charge(1);
    expect(cpu.namespaceShare()).toBe(4000);
    expect(a.quota).toBe(4000); // no limit: bounded by the host's share only
  });

  it('forgets released accounts', () => {
    const { cpu } = scheduler();
    const acct = cpu.account({ namespace: 'a', pod: 'p', container: 'c' }, 1);
    expect(cpu.accounts()).toEqual([acct]);
    cpu.release(acct);
    expect(cpu.accounts()).toEqual([]);
  });
});

describe('container limits', () => {
  it.each([
    [{ limits: { cpu: '500m', memory: '128Mi' } }, 0.5, 128 * 1024 ** 2],
    [{ limits: { cpu: 2 } }, 2, undefined],
    [{ requests: { cpu: '1' } }, undefined, undefined],
    [undefined, undefined, undefined],
    [{ limits: { cpu: 'lots' } }, undefined, undefined],
    [{ limits: { cpu: '0' } }, undefined, undefined],
  ])('%j → %s cores, %s bytes', (resources, cores, bytes) => {
    expect(containerLimits(resources)).toEqual({ cpuCores: cores, memoryBytes: bytes });
  });
});
