// A list or watch from a resourceVersion the store has not reached yet waits a little
// for it (another apiserver may be ahead), then answers 504 Timeout instead of hanging.
// Source: k8s.io/apiserver/pkg/storage/cacher/watch_cache.go (waitUntilFreshAndBlock,
// blockTimeout = 3s), k8s.io/apiserver/pkg/storage/errors.go (NewTooLargeResourceVersionError,
// retry after 1 s), k8s.io/apimachinery/pkg/api/errors (NewTimeoutError: "Timeout: ...").

import type { Clock } from '../core/clock.ts';
import { StatusError } from '../core/errors.ts';
import type { Store } from '../core/store.ts';

export const FRESHNESS_WAIT_MS = 3000;

export function tooLargeResourceVersion(wanted: string, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/**
 * Resolves once the store has reached the resourceVersion a list or watch asked for
 * ("0", "" and none mean any); rejects with the 504 after the wait.
 */
export function waitUntilFresh(store: Store, clock: Clock, resourceVersion: string | undefined): Promise<void> {
  if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0') return Promise.resolve();
  // Digits only (the query schema checks); beyond 2^53 it can only be in the future.
  const wanted = Number(resourceVersion);
  if (store.resourceVersion >= wanted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      unsubscribe();
      timer.cancel();
    };
    const unsubscribe = store.subscribe(() => {
      if (store.resourceVersion < wanted) return;
      done();
      resolve();
    });
    const timer = clock.after(FRESHNESS_WAIT_MS, () => {
      done();
      reject(tooLargeResourceVersion(resourceVersion, store.resourceVersion));
    });
  });
}
