import { describe, expect, it } from 'vitest';
import { ManualClock, seededRng, shuffled } from './clock.ts';
import { StatusError } from './errors.ts';
import { Store } from './store.ts';
import type { StoreEvent } from './types.ts';

function pod(name: string, ns = 'default', extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, ...extra };
}

describe('Store', () => {
  it('assigns uid, creationTimestamp and a global increasing resourceVersion', () => {
    const store = new Store({ clock: new ManualClock() });
    const a = store.create('pods', pod('a'));
    const b = store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' } });
    expect(a.metadata.uid).toMatch(/[0-9a-f-]{36}/);
    expect(a.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    expect(store.resourceVersion).toBe(Number(b.metadata.resourceVersion));
  });

  it('refuses a duplicate with AlreadyExists and a stale update with Conflict', () => {
    const store = new Store({ clock: new ManualClock() });
    const a = store.create('pods', pod('a'));
    expect(() => store.create('pods', pod('a'))).toThrowError(/pods "a" already exists/);
    store.update('pods', { ...a, spec: { x: 1 } });
    try {
      store.update('pods', { ...a, spec: { x: 2 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as StatusError).code).toBe(409);
      expect((e as StatusError).message).toContain('Operation cannot be fulfilled on pods "a"');
    }
  });

  it('hands out copies so callers cannot change stored state', () => {
    const store = new Store({ clock: new ManualClock() });
    const a = store.create('pods', pod('a'));
    a.metadata.labels = { changed: 'yes' };
    expect(store.get('pods', 'default', 'a')?.metadata.labels).toBeUndefined();
  });

  it('lists by namespace and reports changes since a version, expiring old ones', () => {
    const store = new Store({ clock: new ManualClock(), historySize: 3 });
    const seen: StoreEvent[] = [];
    store.subscribe((e) => seen.push(e));
    const start = store.resourceVersion;
    store.create('pods', pod('a', 'x'));
    store.create('pods', pod('b', 'y'));
    expect(store.list('pods', 'x').map((p) => p.metadata.name)).toEqual(['a']);
    expect(store.changesSince(start)).toHaveLength(2);
    store.remove('pods', 'x', 'a');
    store.create('pods', pod('c', 'x'));
    expect(store.changesSince(start)).toBe('expired');
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'DELETED', 'ADDED']);
    expect(seen[2]!.old?.metadata.name).toBe('a');
  });

  it('ManualClock fires timers in time order only when advanced', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.after(20, () => fired.push('b'));
    clock.after(10, () => { fired.push('a'); clock.after(5, () => fired.push('a2')); });
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(20);
    expect(fired).toEqual(['a', 'a2', 'b']);
    expect(clock.now()).toBe(29);
  });

  it('seeded randomness repeats', () => {
    expect(shuffled(seededRng(7), [1, 2, 3, 4, 5])).toEqual(shuffled(seededRng(7), [1, 2, 3, 4, 5]));
  });
});

describe('RealClock', () => {
  it('never fires an infinite delay (sleep infinity must keep running)', async () => {
    const { RealClock } = await import('./clock.ts');
    const clock = new RealClock();
    let fired = false;
    const handle = clock.after(Number.POSITIVE_INFINITY, () => { fired = true; });
    // A zero-delay timer queued after it runs first if the infinite one were clamped to 1 ms or less.
    await new Promise<void>((resolve) => clock.after(0, resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    handle.cancel();
    expect(fired).toBe(false);
  });
});

describe('Store reads without copying', () => {
  it('scan and peek hand out frozen objects, so a reader that forgets to copy fails loudly', () => {
    const store = new Store({ clock: new ManualClock() });
    store.create('pods', pod('b', 'y'));
    store.create('pods', pod('a', 'x'));
    store.create('pods', pod('c', 'x'));
    expect(store.scan('pods').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['x/a', 'x/c', 'y/b']);
    expect(store.scan('pods', 'x')).toHaveLength(2);
    expect(store.count('pods', 'x')).toBe(2);
    const peeked = store.peek('pods', 'x', 'a')!;
    expect(() => { (peeked.metadata as { name: string }).name = 'z'; }).toThrow(TypeError);
    // list() still returns copies the caller may change.
    const listed = store.list('pods', 'x')[0]!;
    listed.metadata.name = 'changed';
    expect(store.peek('pods', 'x', 'a')?.metadata.name).toBe('a');
  });
  it('contains a throwing listener: the write stands and later listeners still get the event', () => {
    const errors: unknown[] = [];
    const store = new Store({ clock: new ManualClock(), onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    store.subscribe(() => { throw new TypeError('listener bug'); });
    store.subscribe((e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    const created = store.create('pods', pod('a'));
    expect(created.metadata.name).toBe('a');
    expect(store.get('pods', 'default', 'a')).toBeDefined();
    expect(seen).toEqual(['ADDED a']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('listener bug');
  });
});
