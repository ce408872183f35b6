import { describe, expect, it } from 'vitest';
import { ManualClock, seededRng } from '../core/clock.ts';
import { Store } from '../core/store.ts';
import { EventSpamFilter, recordEvent, type EventInput } from './events.ts';

function setup() {
  const clock = new ManualClock(0);
  const store = new Store({ clock });
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
  const pod = store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'lab' } });
  const input: EventInput = {
    involvedObject: pod,
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 404',
    type: 'Warning',
    source: { component: 'kubelet', host: 'kind-worker' },
  };
  return { clock, store, input, rng: seededRng(1) };
}

describe('recordEvent', () => {
  it('counts identical repeats on one Event', () => {
    const { clock, store, input, rng } = setup();
    recordEvent(store, clock, rng, input);
    clock.advance(1000);
    recordEvent(store, clock, rng, input);
    const events = store.list('events', 'lab');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 2, reason: 'Unhealthy', involvedObject: { name: 'web-1', kind: 'Pod' } });
  });

  it('lets a source send 25 events about an object, then one every 300 seconds (client-go spam filter)', () => {
    const { clock, store, input, rng } = setup();
    const spam = new EventSpamFilter(clock, 1000);
    for (let i = 0; i < 40; i++) {
      recordEvent(store, clock, rng, input, spam);
      clock.advance(1000);
    }
    // 25 at once, plus the 40 s that passed refilled nothing whole yet.
    expect(store.list('events', 'lab')[0]?.['count']).toBe(25);
    clock.advance(300_000);
    recordEvent(store, clock, rng, input, spam);
    recordEvent(store, clock, rng, input, spam);
    expect(store.list('events', 'lab')[0]?.['count']).toBe(26);
  });

  it('keeps separate budgets per object', () => {
    const { clock, store, input, rng } = setup();
    const spam = new EventSpamFilter(clock, 1000);
    for (let i = 0; i < 30; i++) recordEvent(store, clock, rng, input, spam);
    const other = store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-2', namespace: 'lab' } });
    recordEvent(store, clock, rng, { ...input, involvedObject: other }, spam);
    const counts = store.list('events', 'lab').map((e) => [(e['involvedObject'] as { name: string }).name, e['count']]);
    expect(counts).toEqual(expect.arrayContaining([['web-1', 25], ['web-2', 1]]));
  });
});
