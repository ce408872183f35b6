// `kubectl apply`, client side, for parsed manifests: create what is missing, patch what
// changed, leave alone what did not, and report each object's outcome. The last-applied
// annotation is kubectl's own, so a learner can switch between the portal and kubectl.
import { AlreadyExistsError, ClusterUnavailableError, KubernetesError } from '../cluster/errors.ts';
import type { ClusterClient, KubeObject, ObjectRef } from '../cluster/types.ts';
import { UnsupportedKindError, type InputProblem } from './errors.ts';
import { canonicalJson, mergePatch } from './merge-patch.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const FIELD_MANAGER = 'kubelab-apply';

export type ApplyAction = 'created' | 'configured' | 'unchanged' | 'failed';

export interface ApplyResult {
  kind: string;
  name: string;
  namespace: string;
  action: ApplyAction;
  /** The apiserver's Status message when action is "failed". */
  message?: string;
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name ?? '', namespace: obj.metadata.namespace };
}

/** Refuse cluster-scoped and unknown kinds before applying anything (all-or-nothing input check). */
export async function checkNamespacedKinds(client: ClusterClient, objects: readonly KubeObject[]): Promise<void> {
  const problems: InputProblem[] = [];
  for (const [i, obj] of objects.entries()) {
    const info = await client.kind(obj.apiVersion, obj.kind);
    if (!info) {
      problems.push({ document: i + 1, field: 'kind', message: `the cluster does not serve ${obj.kind} in ${obj.apiVersion}` });
    } else if (!info.namespaced) {
      problems.push({ document: i + 1, field: 'kind', message: `${obj.kind} is cluster-scoped: learners can only create objects inside their namespace` });
    }
  }
  if (problems.length > 0) throw new UnsupportedKindError(problems);
}

function withLastApplied(obj: KubeObject): KubeObject {
  const { [LAST_APPLIED]: _previous, ...annotations } = obj.metadata.annotations ?? {};
  const clean: KubeObject = { ...obj, metadata: { ...obj.metadata, annotations } };
  if (Object.keys(annotations).length === 0) delete clean.metadata.annotations;
  return {
    ...clean,
    metadata: { ...clean.metadata, annotations: { ...annotations, [LAST_APPLIED]: canonicalJson(clean) } },
  };
}

function lastApplied(live: KubeObject): unknown {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Someone hand-edited the annotation; treat the object as never applied.
    return undefined;
  }
}

async function applyOne(client: ClusterClient, obj: KubeObject): Promise<ApplyAction> {
  const desired = withLastApplied(obj);
  const ref = refOf(obj);
  // Two attempts: a concurrent apply may create the object between our read and create.
  for (let attempt = 0; ; attempt++) {
    const live = await client.find(ref);
    if (!live) {
      try {
        await client.create(desired, { fieldManager: FIELD_MANAGER });
        return 'created';
      } catch (err) {
        if (err instanceof AlreadyExistsError && attempt === 0) continue;
        throw err;
      }
    }
    // The annotation is part of `desired`, so a changed manifest always yields a patch.
    const patch = mergePatch(lastApplied(live) ?? {}, desired, live);
    if (Object.keys(patch).length === 0) return 'unchanged';
    await client.patch(ref, patch, 'merge', { fieldManager: FIELD_MANAGER });
    return 'configured';
  }
}

/** Apply in order, one outcome per object. An unreachable cluster aborts the whole request. */
export async function applyObjects(client: ClusterClient, objects: readonly KubeObject[]): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const obj of objects) {
    const base = { kind: obj.kind, name: obj.metadata.name ?? '', namespace: obj.metadata.namespace ?? '' };
    try {
      results.push({ ...base, action: await applyOne(client, obj) });
    } catch (err) {
      if (err instanceof ClusterUnavailableError || !(err instanceof KubernetesError)) throw err;
      results.push({ ...base, action: 'failed', message: err.message });
    }
  }
  return results;
}
