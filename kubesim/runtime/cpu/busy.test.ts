// Busy and runaway processes in simulated containers, through the real runtime and
// shell: a `while true; do :; done` spends exactly its CPU limit's units a slice and
// waits for the next; a learner's eleven of them cannot take another namespace's share;
// a string-doubling loop ends OOMKilled (137). The slice timer is the world's
// ManualClock; breathers are microtasks, so every run is the same.
import { describe, expect, it } from 'vitest';
import type { CpuAccount, CpuSchedulerOptions } from './scheduler.ts';
import { runPod, world, type World } from '../testing/fixtures.ts';

const SLICE = 100;
const BUSY = ['sh', '-c', 'while true; do :; done'];

/** A world whose CPU slices follow its ManualClock; throttle() resolves after n more throttles. */
function cpuWorld(options: CpuSchedulerOptions = {}): World & { throttles: (n: number) => Promise<void> } {
  const waiting: { left: number; resolve: () => void }[] = [];
  const w = world(1, {
    cpu: (clock) => ({
      timer: clock, sliceMs: SLICE, unitsPerCore: 1000, breather: () => Promise.resolve(),
      onThrottle: () => {
        for (const x of [...waiting]) if (--x.left === 0) { waiting.splice(waiting.indexOf(x), 1); x.resolve(); }
      },
      ...options,
    }),
  });
  return { ...w, throttles: (n) => new Promise((resolve) => waiting.push({ left: n, resolve })) };
}

function account(w: World, pod: string): CpuAccount {
  const a = w.rt.cpu.accounts().find((x) => x.key.pod === pod);
  if (!a) throw new Error(`no CPU account for ${pod}`);
  return a;
}

const container = (cpu: string, command = BUSY, memory?: string) => ({
  name: 'spin', image: 'busybox:1.36', command, resources: { limits: { cpu, ...(memory ? { memory } : {}) } },
});

describe('busy loops under CPU limits', () => {
  it('a 500m busy loop spends 500 units a slice (one loop turn over at most), then waits for the next slice', async () => {
    const w = cpuWorld();
    const throttled = w.throttles(1);
    runPod(w, 'spin', { ip: '10.244.1.20', containers: [container('500m')] });
    await throttled;
    const a = account(w, 'spin');
    // A loop turn is three units (true, :, the turn itself); the check comes after each turn.
    expect(a.usedThisSlice).toBeGreaterThanOrEqual(500);
    expect(a.usedThisSlice).toBeLessThan(503);
    const again = w.throttles(1);
    w.clock.advance(SLICE);
    await again;
    expect(a.cpuStat().throttled).toBe(2);
    expect(a.cpuStat().usageUnits).toBeLessThan(2 * 503);
    expect(a.cpuStat().usageUnits).toBeGreaterThanOrEqual(1000);
  });

  it('without a LimitRange default or a limit, a busy loop is bounded by the host share', async () => {
    const w = cpuWorld({ hostCores: 2 });
    const throttled = w.throttles(1);
    runPod(w, 'free', { ip: '10.244.1.21', containers: [{ name: 'spin', image: 'busybox:1.36', command: BUSY }] });
    await throttled;
    expect(account(w, 'free').quota).toBe(2000);
    expect(account(w, 'free').usedThisSlice).toBeLessThan(2003);
  });

  it("eleven busy Pods of one learner leave another namespace its whole quota, slice after slice", async () => {
    const w = cpuWorld({ hostCores: 4 });
    for (const ns of ['noisy', 'quiet']) w.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const first = w.throttles(12);
    for (let i = 0; i < 11; i++) runPod(w, `spin-${i}`, { ns: 'noisy', ip: `10.244.1.${30 + i}`, containers: [container('1')] });
    runPod(w, 'grader', { ns: 'quiet', ip: '10.244.2.30', containers: [container('500m')] });
    await first;
    for (let slice = 1; slice <= 3; slice++) {
      const all = w.throttles(12);
      w.clock.advance(SLICE);
      await all;
      // Both namespaces were busy in the slice before: each may spend half the 4000-unit host.
      expect(w.rt.cpu.namespaceUsed('noisy')).toBeLessThan(2000 + 11 * 3);
      expect(account(w, 'grader').usedThisSlice).toBeGreaterThanOrEqual(500);
    }
    expect(account(w, 'grader').cpuStat().throttled).toBe(4);
  });

  it('a stopped container releases its CPU account', async () => {
    const w = cpuWorld();
    const throttled = w.throttles(1);
    const pod = runPod(w, 'spin', { ip: '10.244.1.22', containers: [container('200m')] });
    await throttled;
    expect(w.rt.cpu.accounts()).toHaveLength(1);
    w.rt.stop(pod, 'spin');
    expect(w.rt.cpu.accounts()).toHaveLength(0);
  });
});

describe('runaway memory', () => {
  it('a string-doubling loop past the memory limit ends the container with 137 OOMKilled', async () => {
    const w = cpuWorld();
    const exited = new Promise<{ exitCode: number; reason: string }>((resolve) => w.rt.onExit(resolve));
    const pod = runPod(w, 'grow', { ip: '10.244.1.23', containers: [container('4', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], '1Mi')] });
    // runPod started it once; starting again (as a restart does) shows start's own result.
    const started = w.rt.start(pod, 'spin');
    let exit: { exitCode: number; reason: string };
    if (started.state === 'exited') exit = started;
    else {
      // Throttled on its way up: let slices pass until the limit is crossed.
      let done: { exitCode: number; reason: string } | undefined;
      void exited.then((e) => { done = e; });
      while (!done) {
        w.clock.advance(SLICE);
        await new Promise<void>((r) => setImmediate(r));
      }
      exit = done;
    }
    expect(exit).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('an exec past the memory limit exits 137 and the whole container is OOM-killed (memory.oom.group)', async () => {
    const w = cpuWorld();
    const exited = new Promise<{ pod: string; exitCode: number; reason: string }>((resolve) => w.rt.onExit(resolve));
    const pod = runPod(w, 'host', { ip: '10.244.1.25', containers: [container('4', ['sleep', 'infinity'], '1Mi')] });
    const r = await w.rt.run(pod, 'spin', ['sh', '-c', 'x=a; while true; do x=$x$x; done']);
    expect(r.exitCode).toBe(137);
    expect(await exited).toMatchObject({ pod: 'host', exitCode: 137, reason: 'OOMKilled' });
  });

  it('memory given back by unset and by ended subshells is not counted again', async () => {
    const w = cpuWorld();
    const pod = runPod(w, 'ok', { ip: '10.244.1.24', containers: [container('4', ['sleep', 'infinity'], '1Mi')] });
    // 2^17 characters held twice over (unset in between), then copied by two subshells one after
    // the other: 256 KiB + 2 × 256 KiB at most at a time; kept, the copies would cross 1 MiB.
    const double = 'i=0; while [ $i -lt 17 ]; do x=$x$x; i=$((i+1)); done';
    const script = `x=a; ${double}; unset x; x=b; ${double}; (y=$x); (y=$x); (y=$x); echo \${#x}`;
    const r = await w.rt.run(pod, 'spin', ['sh', '-c', script]);
    expect(r).toMatchObject({ exitCode: 0, stdout: '131072\n' });
  });
});
