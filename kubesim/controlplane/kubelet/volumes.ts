// Mounting a Pod's Secret and ConfigMap volumes before its sandbox starts: a missing
// object or key (not optional) keeps the Pod in ContainerCreating with a FailedMount
// event, and the volume manager retries with exponential back-off until it appears.
// Source: pkg/volume/secret/secret.go (SetUpAt, MakePayload), pkg/volume/configmap/configmap.go,
//         pkg/volume/projected/projected.go, pkg/volume/util/nestedpendingoperations (500ms … 2m2s)

import type { Store } from '../../core/store.ts';
import type { StoredObject } from '../../core/types.ts';
import { at, bool, rec, recs, str, type Rec } from '../util/obj.ts';

/** nestedpendingoperations: initialDurationBeforeRetry and maxDurationBeforeRetry, in Kubernetes seconds. */
export const MOUNT_RETRY_FIRST_SECONDS = 0.5;
export const MOUNT_RETRY_MAX_SECONDS = 122;

type Source = 'secrets' | 'configmaps';

/** Why a source cannot be projected into files, or undefined when it can. */
function sourceError(store: Store, ns: string, kind: Source, name: string, items: Rec[], optional: boolean): string | undefined {
  const obj = store.get(kind, ns, name);
  if (!obj) return optional ? undefined : `${kind === 'secrets' ? 'secret' : 'configmap'} "${name}" not found`;
  const data = { ...rec(obj['data']), ...(kind === 'configmaps' ? rec(obj['binaryData']) : {}) };
  for (const item of items) {
    const key = str(item.key) ?? '';
    if (key in data || optional) continue;
    return kind === 'secrets' ? `references non-existent secret key: ${key}` : `configmap references non-existent config key: ${key}`;
  }
  return undefined;
}

/** The FailedMount messages for the Pod's volumes that cannot be set up now (empty: all mount). */
export function mountFailures(store: Store, pod: StoredObject): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const out: string[] = [];
  for (const v of recs(at(pod, 'spec', 'volumes'))) {
    const name = str(v.name) ?? '';
    const errors: string[] = [];
    const check = (kind: Source, src: Rec | undefined, nameField: string) => {
      if (!src) return;
      const err = sourceError(store, ns, kind, str(src[nameField]) ?? '', recs(src.items), bool(src.optional) ?? false);
      if (err) errors.push(err);
    };
    check('secrets', rec(v.secret), 'secretName');
    check('configmaps', rec(v.configMap), 'name');
    for (const s of recs(at(v, 'projected', 'sources'))) {
      check('secrets', rec(s.secret), 'name');
      check('configmaps', rec(s.configMap), 'name');
    }
    // utilerrors.NewAggregate: one error prints alone, several as "[a, b]".
    const detail = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    if (errors.length > 0) out.push(`MountVolume.SetUp failed for volume "${name}" : ${detail}`);
  }
  return out;
}
