// Generic object semantics the apiserver applies to every kind, whatever its
// strategy: type meta, server-managed metadata, generation, no-op detection and
// NamespaceLifecycle admission.
// Source: k8s.io/apiserver/pkg/registry/rest/{create,update}.go,
// k8s.io/apiserver/pkg/registry/generic/registry/store.go,
// k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go

import { StatusError, badRequest, forbidden, notFound, type FieldError } from '../core/errors.ts';
import { apiVersionOf, type ResourceDef } from '../core/registry.ts';
import type { Store } from '../core/store.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import { decodeTyped } from './fieldtypes.ts';
import { isRecord } from './http.ts';

/**
 * Kinds whose strategies keep metadata.generation (set to 1 on create, bumped when
 * the spec changes). Pods, Services and Namespaces do not track it in v1.32.
 */
const GENERATION_KINDS = new Set(['apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'networking.k8s.io/networkpolicies']);

export function tracksGeneration(r: ResourceDef): boolean {
  return GENERATION_KINDS.has(r.key);
}

export function hasStatus(r: ResourceDef): boolean {
  return r.subresources.some((s) => s.name === 'status');
}

export function withTypeMeta<T extends KubeObject>(r: ResourceDef, obj: T): T {
  return { ...obj, apiVersion: apiVersionOf(r), kind: r.kind };
}

/** Parse a request body into a KubeObject of this resource, or 400. */
export function asObject(r: ResourceDef, body: unknown, expectedKind = r.kind, expectedApiVersion = apiVersionOf(r)): KubeObject {
  if (!isRecord(body)) throw badRequest(`Object '${expectedKind}' is missing in '${body === undefined ? '' : JSON.stringify(body)}'`);
  const apiVersion = body['apiVersion'];
  const kind = body['kind'];
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== expectedApiVersion) {
    throw badRequest(`the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (kind !== undefined && kind !== '' && kind !== expectedKind) {
    throw badRequest(`${String(kind)} in version "${expectedApiVersion.split('/').pop()}" cannot be handled as a ${expectedKind}: the kind in the data (${String(kind)}) does not match the expected kind (${expectedKind})`);
  }
  const metadata = body['metadata'] ?? {};
  if (!isRecord(metadata)) throw badRequest(`${expectedKind} in version "${expectedApiVersion.split('/').pop()}" cannot be handled as a ${expectedKind}: json: cannot unmarshal ${typeof metadata} into Go struct field ${expectedKind}.metadata of type v1.ObjectMeta`);
  checkMetadataTypes(expectedKind, expectedApiVersion, metadata);
  const wrongType = decodeTyped(expectedKind, body);
  if (wrongType) throw badRequest(`${expectedKind} in version "${expectedApiVersion.split('/').pop()}" cannot be handled as a ${expectedKind}: ${wrongType}`);
  return { ...body, apiVersion: expectedApiVersion, kind: expectedKind, metadata: structuredClone(metadata) };
}

function checkMetadataTypes(kind: string, apiVersion: string, meta: Record<string, unknown>): void {
  const fail = (field: string, want: string): never => {
    throw badRequest(`${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: json: cannot unmarshal into Go struct field ObjectMeta.metadata.${field} of type ${want}`);
  };
  for (const f of ['name', 'generateName', 'namespace', 'resourceVersion', 'uid']) {
    if (meta[f] !== undefined && meta[f] !== null && typeof meta[f] !== 'string') fail(f, 'string');
  }
  for (const f of ['labels', 'annotations']) {
    const m = meta[f];
    if (m === undefined || m === null) continue;
    if (!isRecord(m) || Object.values(m).some((v) => typeof v !== 'string')) fail(f, 'map[string]string');
  }
  if (meta['finalizers'] !== undefined && meta['finalizers'] !== null &&
      (!Array.isArray(meta['finalizers']) || meta['finalizers'].some((v) => typeof v !== 'string'))) fail('finalizers', '[]string');
}

/** JSON equality with key order ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Anything besides metadata and status (and type meta) changed: the "spec" in generation terms. */
export function specChanged(old: KubeObject, next: KubeObject): boolean {
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  for (const k of ['apiVersion', 'kind', 'metadata', 'status']) keys.delete(k);
  for (const k of keys) if (!deepEqual(old[k], next[k])) return true;
  return false;
}

/** True when an update would store nothing new (the real store skips the write). */
export function isNoop(old: StoredObject, next: KubeObject): boolean {
  const { resourceVersion: _a, ...oldMeta } = old.metadata;
  const { resourceVersion: _b, ...nextMeta } = next.metadata;
  return deepEqual({ ...old, metadata: oldMeta }, { ...next, metadata: nextMeta });
}

/** Fields only the server sets survive any update (rest.BeforeUpdate / FillObjectMetaSystemFields). */
export function keepSystemMeta(old: StoredObject, next: KubeObject): void {
  const m = next.metadata;
  m.uid = old.metadata.uid;
  m.creationTimestamp = old.metadata.creationTimestamp;
  const from: Record<string, unknown> = old.metadata;
  const to: Record<string, unknown> = m;
  for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink']) {
    if (from[f] === undefined) delete to[f];
    else to[f] = from[f];
  }
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PATH_SEGMENT_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** ValidateObjectMeta's name rules (apimachinery/pkg/api/validation/objectmeta.go, per-kind name funcs). */
export function validateName(r: ResourceDef, name: string | undefined): FieldError[] {
  if (!name) {
    return [{ field: 'metadata.name', type: 'FieldValueRequired', message: 'metadata.name: Required value: name or generateName is required' }];
  }
  const bad = (why: string): FieldError[] => [{ field: 'metadata.name', type: 'FieldValueInvalid', message: `metadata.name: Invalid value: "${name}": ${why}` }];
  if (PATH_SEGMENT_KINDS.has(r.kind)) {
    if (name === '.' || name === '..') return bad(`may not be '${name}'`);
    if (/[/%]/.test(name)) return bad(`may not contain '${name.includes('/') ? '/' : '%'}'`);
    return [];
  }
  if (r.kind === 'Service') {
    if (!LABEL_1035.test(name) || name.length > 63) {
      return bad(`a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`);
    }
    return [];
  }
  if (r.kind === 'Namespace') {
    if (!LABEL_1123.test(name) || name.length > 63) {
      return bad(`a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`);
    }
    return [];
  }
  if (!SUBDOMAIN.test(name) || name.length > 253) {
    return bad(`a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`);
  }
  return [];
}

/** Namespaces the NamespaceLifecycle plugin never lets anyone delete. */
export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** NamespaceLifecycle on create: the namespace must exist and not be terminating. */
export function admitNamespace(store: Store, r: ResourceDef, namespace: string | undefined, name: string): void {
  if (!r.namespaced || namespace === undefined) return;
  const ns = store.get('namespaces', undefined, namespace);
  if (!ns) throw notFound('namespaces', '', namespace);
  const status = ns['status'];
  const terminating = ns.metadata.deletionTimestamp !== undefined || (isRecord(status) && status['phase'] === 'Terminating');
  if (terminating) {
    const what = r.group ? `${r.plural}.${r.group}` : r.plural;
    const prefix = name ? `${what} "${name}" is forbidden` : `${what} is forbidden`;
    throw forbidden(`${prefix}: unable to create new content in namespace ${namespace} because it is being terminated`, {
      name: name || undefined, group: r.group || undefined, kind: r.plural,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
