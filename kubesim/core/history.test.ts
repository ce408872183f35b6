// The watch history is bounded by bytes as well as by count (#17.4).
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { eventBytes } from './history.ts';
import { Store } from './store.ts';
import type { StoreEvent } from './types.ts';

const configMap = (name: string, bytes: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { blob: 'x'.repeat(bytes) },
});

describe('watch history bounds', () => {
  it('drops the oldest events once their objects exceed the byte budget, though far under the count', () => {
    const store = new Store({ clock: new ManualClock(), historySize: 1000, historyBytes: 50_000 });
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const start = store.resourceVersion;
    for (let i = 0; i < 4; i++) store.create('configmaps', configMap(`cm-${i}`, 10_000));
    expect(store.changesSince(start)).toHaveLength(4);
    for (let i = 4; i < 10; i++) store.create('configmaps', configMap(`cm-${i}`, 10_000));
    // Ten ~10 KB events do not fit in 50 KB: the oldest went, so a watch from the start is expired.
    expect(store.changesSince(start)).toBe('expired');
    const kept = store.changesSince(store.oldestResumableVersion);
    expect(kept).not.toBe('expired');
    const sizes = (kept as StoreEvent[]).map(eventBytes);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(50_000);
    expect((kept as StoreEvent[]).at(-1)?.object.metadata.name).toBe('cm-9');
    expect(events).toHaveLength(10);
  });

  it('keeps the newest event even when it alone is over the budget', () => {
    const store = new Store({ clock: new ManualClock(), historyBytes: 1_000 });
    const before = store.resourceVersion;
    store.create('configmaps', configMap('huge', 5_000));
    expect(store.changesSince(before)).toHaveLength(1);
  });

  it('counts the prior version of a modified object too', () => {
    const store = new Store({ clock: new ManualClock() });
    store.create('configmaps', configMap('a', 1_000));
    const seen: StoreEvent[] = [];
    store.subscribe((e) => seen.push(e));
    store.update('configmaps', { ...configMap('a', 2_000), metadata: { ...configMap('a', 0).metadata, resourceVersion: String(store.resourceVersion) } });
    expect(eventBytes(seen[0]!)).toBeGreaterThan(3_000);
  });
});
