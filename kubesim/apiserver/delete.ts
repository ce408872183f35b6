// DELETE and deletecollection: preconditions, graceful deletion (Pods),
// finalizers and the propagation policy's GC finalizers, Namespace termination.
// Source: k8s.io/apiserver/pkg/registry/generic/registry/store.go (Delete,
// updateForGracefulDeletionAndFinalizers, deletionFinalizersForGarbageCollection),
// pkg/registry/core/pod/strategy.go (CheckGracefulDelete),
// pkg/registry/core/namespace/storage/storage.go (Delete).

import { z } from 'zod';
import { badRequest, conflict, forbidden, notFound } from '../core/errors.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import { strategyContext, type ResourceCall } from './context.ts';
import { isRecord, successStatus } from './http.ts';
import { IMMORTAL_NAMESPACES, timestamp, withTypeMeta } from './objects.ts';
import type { DeleteQuery } from './query.ts';

const deleteBody = z.object({
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  gracePeriodSeconds: z.number().int().nullable().optional(),
  propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).nullable().optional(),
  orphanDependents: z.boolean().nullable().optional(),
  dryRun: z.array(z.literal('All')).nullable().optional(),
  preconditions: z.object({ uid: z.string().nullable().optional(), resourceVersion: z.string().nullable().optional() }).nullable().optional(),
});

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Merge a DeleteOptions body with the query (the body wins, as the handler decodes it last). */
export function deleteOptions(body: unknown, query: DeleteQuery): DeleteOptions {
  const parsed = body === undefined ? undefined : deleteBody.safeParse(body);
  if (parsed && !parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`DeleteOptions is invalid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'malformed'}`);
  }
  const b = parsed?.data;
  let policy = b?.propagationPolicy ?? query.propagationPolicy;
  const orphan = b?.orphanDependents ?? query.orphanDependents;
  if (policy === undefined && orphan !== undefined) policy = orphan ? 'Orphan' : 'Background';
  if (policy !== undefined && orphan !== undefined && (b?.propagationPolicy ?? query.propagationPolicy) !== undefined) {
    throw badRequest('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + policy + '": orphanDependents and deletionPropagation cannot be both set');
  }
  return {
    gracePeriodSeconds: b?.gracePeriodSeconds ?? query.gracePeriodSeconds,
    propagationPolicy: policy,
    dryRun: (b?.dryRun?.length ?? 0) > 0 || (query.dryRun ?? false),
    preconditions: b?.preconditions ? { uid: b.preconditions.uid ?? undefined, resourceVersion: b.preconditions.resourceVersion ?? undefined } : undefined,
  };
}

export interface DeleteResult {
  /** What to answer: the object (still there, or just removed) or a Status. */
  body: Record<string, unknown>;
  removed: boolean;
}

function phaseOf(obj: KubeObject): string | undefined {
  const status = obj['status'];
  return isRecord(status) && typeof status['phase'] === 'string' ? status['phase'] : undefined;
}

function specOf(obj: KubeObject): Record<string, unknown> {
  const spec = obj['spec'];
  return isRecord(spec) ? spec : {};
}

/** Pod grace period (pkg/registry/core/pod/strategy.go CheckGracefulDelete). */
function podGrace(pod: KubeObject, requested: number | undefined): number {
  const phase = phaseOf(pod);
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  if (!specOf(pod)['nodeName']) return 0;
  const fromSpec = specOf(pod)['terminationGracePeriodSeconds'];
  const grace = requested ?? (typeof fromSpec === 'number' ? fromSpec : 30);
  return Math.max(0, grace);
}

/** Finalizers after the propagation policy (deletionFinalizersForGarbageCollection). */
function gcFinalizers(existing: string[], policy: DeleteOptions['propagationPolicy']): string[] {
  const set = existing.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === undefined) return existing;
  if (policy === 'Orphan') set.push('orphan');
  if (policy === 'Foreground') set.push('foregroundDeletion');
  return set;
}

export function deleteOne(call: ResourceCall, name: string, opts: DeleteOptions): DeleteResult {
  const { resource: r, deps } = call;
  const { store, clock } = deps;
  const ns = r.namespaced ? call.namespace : undefined;
  const old = store.get(r.key, ns, name);
  if (!old) throw notFound(r.plural, r.group, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    throw conflict(r.plural, r.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(r.plural, r.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`);
  }
  const ctx = strategyContext(call, opts.dryRun);
  if (r.key === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
    throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
  }
  for (const plugin of deps.behaviour.admission) plugin.admit('DELETE', old, old, ctx);
  const now = clock.now();
  const next = structuredClone(old);
  const meta = next.metadata;
  const finalizers = gcFinalizers(meta.finalizers ?? [], opts.propagationPolicy);
  let pending: boolean;

  if (r.key === 'namespaces') {
    // The namespace controller empties spec.finalizers, then the Namespace goes.
    const specFinalizers = specOf(next)['finalizers'];
    const waiting = Array.isArray(specFinalizers) && specFinalizers.length > 0;
    meta.deletionTimestamp ??= timestamp(now);
    meta.deletionGracePeriodSeconds ??= 0;
    next['status'] = { ...(isRecord(next['status']) ? next['status'] : {}), phase: 'Terminating' };
    pending = waiting || finalizers.length > 0;
  } else if (r.key === 'pods') {
    const grace = podGrace(old, opts.gracePeriodSeconds);
    const current = old.metadata.deletionGracePeriodSeconds;
    if (old.metadata.deletionTimestamp === undefined || current === undefined || grace < current) {
      // A shorter grace period may replace a longer one, never the reverse.
      meta.deletionTimestamp = timestamp(now + grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    }
    pending = (meta.deletionGracePeriodSeconds ?? 0) > 0 || finalizers.length > 0;
  } else {
    meta.deletionTimestamp ??= timestamp(now);
    meta.deletionGracePeriodSeconds ??= 0;
    pending = finalizers.length > 0;
  }

  if (pending) {
    if (finalizers.length) meta.finalizers = finalizers;
    else delete meta.finalizers;
    if (opts.dryRun) return { body: withTypeMeta(r, next), removed: false };
    const same = JSON.stringify(next) === JSON.stringify(old);
    const saved: StoredObject = same ? old : store.update(r.key, next);
    return { body: withTypeMeta(r, saved), removed: false };
  }
  const gone = opts.dryRun ? old : store.remove(r.key, ns, name);
  // Pods and Namespaces return the deleted object (ReturnDeletedObject); others a Status.
  if (r.key === 'pods' || r.key === 'namespaces' || r.key === 'services') return { body: withTypeMeta(r, gone), removed: true };
  return {
    body: successStatus({ name, group: r.group || undefined, kind: r.plural, uid: old.metadata.uid }),
    removed: true,
  };
}
