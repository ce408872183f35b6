// A minimal OpenAPI v3 document per group/version, generated from the registry.
// kubectl only needs, per kind, a PATCH operation tagged with
// x-kubernetes-group-version-kind and a `fieldValidation` query parameter to use
// server-side field validation (cli-runtime resource/query_param_verifier_v3.go).
// components.schemas (schemas.ts) serve `kubectl explain`. The PATCH operations
// deliberately declare no requestBody: kubectl apply computes strategic merge patches
// from the v3 schema only when the PATCH accepts application/strategic-merge-patch+json
// (kubectl/pkg/cmd/apply/patcher.go gvkSupportsPatchOpenAPIV3); without it, it uses its
// built-in types, which know every field our partial schemas leave out.

import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceDef } from '../core/registry.ts';
import { allGroupVersions } from './discovery.ts';
import { schemasFor } from './schemas.ts';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function param(name: string, where: 'query' | 'path', description: string): Record<string, unknown> {
  return { name, in: where, description, ...(where === 'path' ? { required: true } : {}), schema: { type: where === 'query' && name === 'force' ? 'boolean' : 'string', uniqueItems: true } };
}

function opId(verb: string, r: ResourceDef): string {
  const groupPart = (r.group.split('.')[0] ?? '').replace(/^./, (c) => c.toUpperCase()) || 'Core';
  return `${verb}${groupPart}${r.version.toUpperCase()}${r.namespaced ? 'Namespaced' : ''}${r.kind}`;
}

function pathsFor(r: ResourceDef): Record<string, unknown> {
  const prefix = '/' + gvPath(r.group, r.version) + (r.namespaced ? '/namespaces/{namespace}' : '');
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const pathParams = [param('name', 'path', `name of the ${r.kind}`)];
  if (r.namespaced) pathParams.push(param('namespace', 'path', 'object name and auth scope, such as for teams and projects'));
  const ok = { responses: { '200': { description: 'OK' } } };
  const item: Record<string, unknown> = { parameters: pathParams };
  if (r.verbs.includes('get')) item['get'] = { operationId: opId('read', r), 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, ...ok };
  if (r.verbs.includes('update')) item['put'] = { operationId: opId('replace', r), 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters: writeParams(), ...ok };
  if (r.verbs.includes('delete')) item['delete'] = { operationId: opId('delete', r), 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, ...ok };
  if (r.verbs.includes('patch')) {
    item['patch'] = {
      operationId: opId('patch', r),
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [...writeParams(), param('force', 'query', 'Force is going to "force" Apply requests.')],
      ...ok,
    };
  }
  const collection: Record<string, unknown> = {};
  if (r.namespaced) collection['parameters'] = [pathParams[1]];
  if (r.verbs.includes('list')) collection['get'] = { operationId: opId('list', r), 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk, ...ok };
  if (r.verbs.includes('create')) collection['post'] = { operationId: opId('create', r), 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': gvk, parameters: writeParams(), ...ok };
  const out: Record<string, unknown> = { [`${prefix}/${r.plural}`]: collection };
  if (r.verbs.some((v) => ['get', 'update', 'patch', 'delete'].includes(v))) out[`${prefix}/${r.plural}/{name}`] = item;
  return out;
}

function writeParams(): Record<string, unknown>[] {
  return [
    param('dryRun', 'query', 'When present, indicates that modifications should not be persisted.'),
    param('fieldManager', 'query', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
    param('fieldValidation', 'query', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
  ];
}

export interface OpenApiDocs {
  /** GET /openapi/v3 */
  index: Record<string, unknown>;
  /** Keyed by "api/v1", "apis/apps/v1", ... */
  documents: Map<string, { body: string; hash: string }>;
  /** GET /openapi/v2: protobuf, see openApiV2(). */
  v2: Buffer;
}

/**
 * An OpenAPI v2 document holding only `swagger: "2.0"` (gnostic openapi_v2.Document
 * field 1, a length-delimited string), so no definitions. kubectl validates a `kind: List`
 * client-side against v2, because no v3 PATCH operation carries fieldValidation for
 * v1/List (cli-runtime query_param_verifier_v3.go), and skips every model it cannot
 * find (kubectl/pkg/validation/schema.go validateResource); each item is then created
 * or patched with fieldValidation and validated here like any other object. Apply's
 * patcher likewise finds no v2 model and keeps its built-in types.
 */
function openApiV2(): Buffer {
  return Buffer.from([0x0a, 3, ...Buffer.from('2.0', 'utf8')]);
}

export function buildOpenApi(): OpenApiDocs {
  const documents = new Map<string, { body: string; hash: string }>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of allGroupVersions()) {
    const key = gvPath(group, version);
    const doc = {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.2' },
      paths: Object.assign({}, ...RESOURCES.filter((r) => r.group === group && r.version === version).map(pathsFor)),
      components: { schemas: schemasFor(group, version) },
    };
    const body = JSON.stringify(doc);
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    documents.set(key, { body, hash });
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index: { paths }, documents, v2: openApiV2() };
}
