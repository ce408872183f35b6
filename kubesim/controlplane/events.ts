// Events as controllers and the kubelet record them (core/v1 Event, what
// `kubectl describe` and `kubectl get events` show). Identical repeats increment
// count and lastTimestamp instead of creating a new Event, like client-go's
// EventCorrelator, and its spam filter applies: a source may send 25 events about
// one object, then one more every 300 s (a Pod that always fails its probe stops
// adding to its event's count). Name is "<object>.<hex>" as client-go's recorder makes it.
// Source: k8s.io/client-go/tools/record/event.go, events_cache.go (defaultSpamBurst, defaultSpamQPS)

import type { Clock, Rng } from '../core/clock.ts';
import type { Store } from '../core/store.ts';
import type { KubeObject } from '../core/types.ts';
import { at, str, timestamp } from './util/obj.ts';

export interface EventInput {
  involvedObject: KubeObject;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  /** e.g. { component: 'kubelet', host: 'kind-worker' } */
  source: { component: string; host?: string };
  /** A fieldPath such as "spec.containers{web}" (kubelet events). */
  fieldPath?: string;
}

const SPAM_BURST = 25;
const SPAM_REFILL_SECONDS = 300;

/**
 * client-go's EventSourceObjectSpamFilter: a token bucket per source + object.
 * `secondMs` is how long a Kubernetes second lasts on the clock (the pace), so the
 * refill keeps step with probe periods and back-offs.
 */
export class EventSpamFilter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly secondMs = 1000,
  ) {}

  /** True when the event may be recorded (and takes a token). */
  accept(input: EventInput): boolean {
    const o = input.involvedObject;
    const key = [input.source.component, input.source.host ?? '', o.kind, o.metadata.namespace ?? '', o.metadata.name ?? '', o.metadata.uid ?? '', o.apiVersion].join('\u0000');
    const now = this.clock.now();
    const refillMs = SPAM_REFILL_SECONDS * this.secondMs;
    const bucket = this.buckets.get(key) ?? { tokens: SPAM_BURST, at: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.at) / refillMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

function hex(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(rng.next() * 16).toString(16);
  return s;
}

export function recordEvent(store: Store, clock: Clock, rng: Rng, input: EventInput, spam?: EventSpamFilter): void {
  if (spam && !spam.accept(input)) return;
  const target = input.involvedObject;
  const namespace = target.metadata.namespace || 'default';
  // No new content in a namespace being deleted (NamespaceLifecycle admission).
  const ns = store.get('namespaces', undefined, namespace);
  if (!ns || ns.metadata.deletionTimestamp || str(at(ns, 'status', 'phase')) === 'Terminating') return;
  const now = timestamp(clock.now());
  const involved = {
    kind: target.kind,
    namespace: target.metadata.namespace,
    name: target.metadata.name,
    uid: target.metadata.uid,
    apiVersion: target.apiVersion,
    resourceVersion: target.metadata.resourceVersion,
    ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}),
  };
  const type = input.type ?? 'Normal';
  const found = store.scan('events', namespace).find((e) => {
    return (
      str(at(e, 'involvedObject', 'uid')) === target.metadata.uid &&
      str(at(e, 'involvedObject', 'fieldPath')) === input.fieldPath &&
      e.reason === input.reason && e.message === input.message && e.type === type &&
      str(at(e, 'source', 'component')) === input.source.component
    );
  });
  // scan() hands out the frozen stored object: change a copy.
  const existing = found && structuredClone(found);
  if (existing) {
    existing.count = (typeof existing.count === 'number' ? existing.count : 1) + 1;
    existing.lastTimestamp = now;
    store.update('events', existing);
    return;
  }
  store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${target.metadata.name ?? 'unknown'}.${hex(rng)}`, namespace },
    involvedObject: involved,
    reason: input.reason,
    message: input.message,
    type,
    source: input.source,
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    eventTime: null,
    reportingComponent: input.source.component,
    reportingInstance: input.source.host ?? '',
    action: '',
  });
}
