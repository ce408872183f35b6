// WATCH: a chunked stream of one JSON event per line. Starts from "now" (with a
// synthetic ADDED per current match) or replays the store's history after a given
// resourceVersion; filters by namespace and selectors the way the watch cache does
// (an object that stops matching is DELETED, one that starts matching is ADDED).
// Source: k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go (convertToWatchEvent),
// k8s.io/apiserver/pkg/endpoints/handlers/watch.go.

import { gone } from '../core/errors.ts';
import { apiVersionOf } from '../core/registry.ts';
import type { StoredObject, StoreEvent } from '../core/types.ts';
import { representationOf } from './accept.ts';
import type { ResourceCall, WatchSettings } from './context.ts';
import { withTypeMeta } from './objects.ts';
import type { ListQuery } from './query.ts';
import { listObjects, selectorFor } from './read.ts';
import { matches } from './selectors.ts';
import { toTable } from './tables/index.ts';

export const DEFAULT_WATCH: WatchSettings = { defaultTimeoutSeconds: 1800, bookmarkIntervalMs: 60_000 };

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function serveWatch(call: ResourceCall, query: ListQuery): void {
  const { resource: r, deps, res } = call;
  const { store, clock } = deps;
  const settings: WatchSettings = { ...DEFAULT_WATCH, ...deps.watch };
  const sel = selectorFor(call, query);
  const asTable = representationOf(call.req.headers.accept) === 'table';
  const namespace = r.namespaced ? call.namespace : undefined;
  let headersSent = false;
  let closed = false;

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  const write = (type: EventType, object: Record<string, unknown>): void => {
    if (closed) return;
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const send = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: StoredObject): void => {
    const typed = withTypeMeta(r, obj);
    if (!asTable) return write(type, typed);
    // Column definitions on the first event only, as the real server does.
    write(type, toTable(r, [typed], {
      now: clock.now(), includeObject: query.includeObject ?? 'Metadata',
      resourceVersion: typed.metadata.resourceVersion, omitHeaders: headersSent,
    }));
    headersSent = true;
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(store.resourceVersion) };
    if (annotations) metadata['annotations'] = annotations;
    write('BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata });
  };
  const inScope = (e: StoreEvent): boolean =>
    e.resource === r.key && (namespace === undefined || e.object.metadata.namespace === namespace);
  const deliver = (e: StoreEvent): void => {
    if (!inScope(e)) return;
    const now = matches(sel, e.object);
    const before = e.old !== undefined && matches(sel, e.old);
    if (e.type === 'ADDED') {
      if (now) send('ADDED', e.object);
    } else if (e.type === 'DELETED') {
      if (now || before) send('DELETED', e.object);
    } else if (now && before) {
      send('MODIFIED', e.object);
    } else if (now) {
      send('ADDED', e.object);
    } else if (before && e.old) {
      // The previous state, at the new resourceVersion (cache_watcher.go).
      send('DELETED', { ...e.old, metadata: { ...e.old.metadata, resourceVersion: e.object.metadata.resourceVersion } });
    }
  };

  let unsubscribe: () => void = () => undefined;
  let timeoutTimer: { cancel(): void } | undefined;
  let bookmarkTimer: { cancel(): void } | undefined;
  let untrack: () => void = () => undefined;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    timeoutTimer?.cancel();
    bookmarkTimer?.cancel();
    untrack();
    if (!res.writableEnded) res.end();
  };
  res.on('close', finish);
  untrack = call.track(finish);

  const rv = query.resourceVersion;
  const fromNow = rv === undefined || rv === '' || rv === '0';
  if (fromNow || query.sendInitialEvents) {
    for (const obj of listObjects(call, sel)) send('ADDED', obj);
    if (query.sendInitialEvents && query.allowWatchBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const changes = store.changesSince(Number(rv));
    if (changes === 'expired') {
      write('ERROR', gone(`too old resource version: ${rv} (${store.oldestResumableVersion})`).toStatus() as unknown as Record<string, unknown>);
      finish();
      return;
    }
    for (const e of changes) deliver(e);
  }
  unsubscribe = store.subscribe(deliver);

  // timeoutSeconds=0 means "the server's default", as in ListOptions.
  timeoutTimer = clock.after((query.timeoutSeconds || settings.defaultTimeoutSeconds) * 1000, finish);
  if (query.allowWatchBookmarks) {
    const tick = (): void => {
      if (closed) return;
      bookmark();
      bookmarkTimer = clock.after(settings.bookmarkIntervalMs, tick);
    };
    bookmarkTimer = clock.after(settings.bookmarkIntervalMs, tick);
  }
}
