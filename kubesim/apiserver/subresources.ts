// Subresources with their own shapes: /scale (autoscaling/v1 Scale), /binding,
// /eviction, serviceaccounts/{name}/token, and the create-only review kinds that
// are answered, never stored.
// Source: pkg/registry/apps/deployment/storage/storage.go (ScaleREST),
// pkg/registry/core/pod/storage/{storage,eviction}.go, pkg/registry/core/serviceaccount/storage/token.go

import { StatusError, badRequest, conflict, invalid, notFound } from '../core/errors.ts';
import type { ResourceDef } from '../core/registry.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import type { ResourceCall } from './context.ts';
import { deleteOne } from './delete.ts';
import { checkFields } from './fieldcheck.ts';
import { isRecord, successStatus } from './http.ts';
import { asObject, timestamp } from './objects.ts';
import { applyPatch } from './patch/index.ts';
import { patchMediaType } from './patching.ts';
import type { WriteQuery } from './query.ts';
import { labelSelectorString } from './selectors.ts';
import { commitUpdate, loadExisting } from './write.ts';

const SCALE_API = 'autoscaling/v1';

function record(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

export function toScale(obj: StoredObject): KubeObject {
  const spec = record(obj['spec']);
  const status = record(obj['status']);
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: SCALE_API,
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: typeof spec['replicas'] === 'number' ? spec['replicas'] : 1 },
    status: {
      replicas: typeof status['replicas'] === 'number' ? status['replicas'] : 0,
      selector: labelSelectorString(spec['selector']),
    },
  };
}

function scaleDef(r: ResourceDef): ResourceDef {
  return { ...r, kind: 'Scale', group: 'autoscaling', version: 'v1' };
}

function applyScale(call: ResourceCall, old: StoredObject, scale: KubeObject, query: WriteQuery): KubeObject {
  const replicas = record(scale['spec'])['replicas'];
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    throw invalid('Scale.autoscaling', '', old.metadata.name, [
      { field: 'spec.replicas', type: 'FieldValueInvalid', message: `spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
    ]);
  }
  const next = structuredClone(old) as KubeObject;
  next['spec'] = { ...record(old['spec']), replicas: replicas ?? 0 };
  next.metadata.resourceVersion = scale.metadata.resourceVersion || old.metadata.resourceVersion;
  const saved = commitUpdate(call, old, next, { dryRun: query.dryRun ?? false }, 'scale');
  return toScale(saved as StoredObject);
}

export function updateScale(call: ResourceCall, body: unknown, query: WriteQuery): KubeObject {
  checkFields(call.res, 'Scale', body, query.fieldValidation, { version: 'v1' });
  const scale = asObject(call.resource, body, 'Scale', SCALE_API);
  if (scale.metadata.name !== undefined && scale.metadata.name !== call.name) {
    throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${call.name ?? ''})`);
  }
  return applyScale(call, loadExisting(call), scale, query);
}

export function patchScale(call: ResourceCall, raw: string, contentType: string, query: WriteQuery): KubeObject {
  const type = patchMediaType(contentType);
  const old = loadExisting(call);
  const patched = applyPatch(type, toScale(old), raw, scaleDef(call.resource));
  checkFields(call.res, 'Scale', patched, query.fieldValidation);
  return applyScale(call, old, asObject(call.resource, patched, 'Scale', SCALE_API), query);
}

/** POST pods/{name}/binding: the scheduler's way to set spec.nodeName. */
export function bindPod(call: ResourceCall, body: unknown): Record<string, unknown> {
  const pod = loadExisting(call);
  const target = record(record(body)['target']);
  const node = target['name'];
  if (typeof node !== 'string' || node === '') {
    throw invalid('Binding', '', call.name ?? '', [{ field: 'target.name', type: 'FieldValueRequired', message: 'target.name: Required value' }]);
  }
  const spec = record(pod['spec']);
  if (typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '') {
    throw conflict('pods/binding', '', pod.metadata.name, `pod ${pod.metadata.name} is already assigned to node "${spec['nodeName']}"`);
  }
  call.deps.store.update('pods', { ...pod, spec: { ...spec, nodeName: node } });
  return successStatus({});
}

/** POST pods/{name}/eviction: no PodDisruptionBudgets are modelled, so an eviction is a delete. */
export function evictPod(call: ResourceCall, body: unknown): Record<string, unknown> {
  const eviction = record(body);
  const opts = record(eviction['deleteOptions']);
  const grace = opts['gracePeriodSeconds'];
  deleteOne(call, call.name ?? '', { dryRun: false, gracePeriodSeconds: typeof grace === 'number' ? grace : undefined });
  return successStatus({});
}

export function issueToken(call: ResourceCall, body: unknown): KubeObject {
  const namespace = call.namespace ?? '';
  const sa = call.deps.store.get('serviceaccounts', namespace, call.name ?? '');
  if (!sa) throw notFound('serviceaccounts', '', call.name ?? '');
  const request = asObject(call.resource, body ?? {}, 'TokenRequest', 'authentication.k8s.io/v1');
  return call.deps.auth.issueServiceAccountToken(namespace, sa, request);
}

/** POST of a review kind (nothing is stored). */
export function review(call: ResourceCall, body: unknown): KubeObject {
  const r = call.resource;
  const obj = asObject(r, body);
  switch (r.kind) {
    case 'SelfSubjectAccessReview':
      return call.deps.auth.reviewAccess(call.user, obj);
    case 'SelfSubjectRulesReview':
      return call.deps.auth.reviewRules(call.user, obj);
    case 'SelfSubjectReview':
      return {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: timestamp(call.deps.clock.now()) },
        status: { userInfo: { username: call.user.username, groups: call.user.groups } },
      };
    default:
      throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  }
}
