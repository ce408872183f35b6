// Which handler serves a resource request, and which RBAC verb it is.
// Source: k8s.io/apiserver/pkg/endpoints/request/requestinfo.go (verb mapping),
// k8s.io/apiserver/pkg/endpoints/installer.go (which verbs each path serves).

import { badRequest } from '../core/errors.ts';
import { isStored } from '../core/registry.ts';
import type { ResourceCall } from './context.ts';
import { deleteOne, deleteOptions } from './delete.ts';
import { waitUntilFresh } from './fresh.ts';
import { decodeBody, methodNotAllowed, readRaw, sendJson } from './http.ts';
import { withTypeMeta } from './objects.ts';
import { patchObject } from './patching.ts';
import { deleteQuery, listQuery, parseQuery, writeQuery } from './query.ts';
import { getObject, listObjects, selectorFor, sendList, sendObject } from './read.ts';
import type { Route } from './route.ts';
import { serveLogs } from './streams.ts';
import { bindPod, evictPod, issueToken, patchScale, review, toScale, updateScale } from './subresources.ts';
import { serveWatch } from './watch.ts';
import { createFromBody, updateFromBody } from './write.ts';

type ResourceRoute = Extract<Route, { type: 'resource' }>;

function isWatch(params: URLSearchParams): boolean {
  const w = params.get('watch');
  return w !== null && ['1', 't', 'T', 'true', 'True', 'TRUE'].includes(w);
}

export function verbFor(method: string, route: ResourceRoute, params: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (route.subresource) return 'get';
      if (isWatch(params)) return 'watch';
      return route.name === undefined ? 'list' : 'get';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return route.name === undefined ? 'deletecollection' : 'delete';
    default: return method.toLowerCase();
  }
}

function allowed(call: ResourceCall, verb: string): boolean {
  const r = call.resource;
  if (call.subresource === undefined) {
    // POST goes to the collection, the others to a named object (and lists to the collection).
    if (verb === 'create' && call.name !== undefined) return false;
    if (['get', 'update', 'patch', 'delete'].includes(verb) && call.name === undefined) return false;
    if (['list', 'deletecollection'].includes(verb) && call.name !== undefined) return false;
    // A namespaced kind's all-namespaces path (/api/v1/pods) serves only list and watch.
    if (r.namespaced && call.namespace === undefined && verb !== 'list' && verb !== 'watch') return false;
    return r.verbs.includes(verb);
  }
  const sub = r.subresources.find((s) => s.name === call.subresource);
  return sub !== undefined && call.name !== undefined && sub.verbs.includes(verb);
}

async function body(call: ResourceCall): Promise<unknown> {
  return decodeBody(await readRaw(call.req), call.req.headers['content-type']);
}

async function rawText(call: ResourceCall): Promise<string> {
  return (await readRaw(call.req)).toString('utf8');
}

export async function dispatch(call: ResourceCall, verb: string): Promise<void> {
  if (!allowed(call, verb)) {
    // exec without an upgrade: the real server demands one.
    if (call.subresource === 'exec' || call.subresource === 'attach') throw badRequest('Upgrade request required');
    throw methodNotAllowed();
  }
  const { res, params } = call;
  const sub = call.subresource;
  switch (sub) {
    case undefined:
      return mainResource(call, verb);
    case 'status':
    case 'finalize':
      if (verb === 'get') return sendObject(call, getObject(call), undefined);
      if (verb === 'update') return sendJson(res, 200, updateFromBody(call, await body(call), writeOpts(params)));
      return sendJson(res, 200, patchObject(call, await rawText(call), call.req.headers['content-type'] ?? '', parseQuery(writeQuery, params)));
    case 'scale':
      if (verb === 'get') return sendJson(res, 200, toScale(getObject(call)));
      if (verb === 'update') return sendJson(res, 200, updateScale(call, await body(call), parseQuery(writeQuery, params)));
      return sendJson(res, 200, patchScale(call, await rawText(call), call.req.headers['content-type'] ?? '', parseQuery(writeQuery, params)));
    case 'token':
      return sendJson(res, 201, issueToken(call, await body(call)));
    case 'binding':
      return sendJson(res, 201, bindPod(call, await body(call)));
    case 'eviction':
      return sendJson(res, 201, evictPod(call, await body(call)));
    case 'log':
      return serveLogs(call.deps.podIO, getObject(call), params, res);
    case 'exec':
    case 'attach':
      // Only reached without an Upgrade header (upgrades go to server.ts handleUpgrade).
      throw badRequest('Upgrade request required');
    default:
      throw methodNotAllowed();
  }
}

function writeOpts(params: URLSearchParams): { dryRun: boolean; fieldValidation?: 'Ignore' | 'Warn' | 'Strict' } {
  const q = parseQuery(writeQuery, params);
  return { dryRun: q.dryRun ?? false, fieldValidation: q.fieldValidation };
}

async function mainResource(call: ResourceCall, verb: string): Promise<void> {
  const { res, params, resource: r } = call;
  switch (verb) {
    case 'list': {
      const q = parseQuery(listQuery, params);
      if (!q.continue) await waitUntilFresh(call.deps.store, call.deps.clock, q.resourceVersion);
      return sendList(call, q);
    }
    case 'watch': {
      const q = parseQuery(listQuery, params);
      await waitUntilFresh(call.deps.store, call.deps.clock, q.resourceVersion);
      return serveWatch(call, q);
    }
    case 'get': {
      const q = parseQuery(listQuery, params);
      return sendObject(call, getObject(call), q.includeObject);
    }
    case 'create': {
      const input = await body(call);
      if (!isStored(r)) return sendJson(res, 201, review(call, input));
      return sendJson(res, 201, createFromBody(call, input, writeOpts(params)));
    }
    case 'update':
      return sendJson(res, 200, updateFromBody(call, await body(call), writeOpts(params)));
    case 'patch':
      return sendJson(res, 200, patchObject(call, await rawText(call), call.req.headers['content-type'] ?? '', parseQuery(writeQuery, params)));
    case 'delete': {
      const opts = deleteOptions(await body(call), parseQuery(deleteQuery, params));
      return sendJson(res, 200, deleteOne(call, call.name ?? '', opts).body);
    }
    case 'deletecollection': {
      const opts = deleteOptions(await body(call), parseQuery(deleteQuery, params));
      const sel = selectorFor(call, parseQuery(listQuery, params));
      const items = listObjects(call, sel).map((o) => {
        const result = deleteOne({ ...call, namespace: o.metadata.namespace }, o.metadata.name, opts);
        return result.removed ? withTypeMeta(r, o) : result.body;
      });
      return sendJson(res, 200, { kind: r.listKind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, metadata: {}, items });
    }
    default:
      throw methodNotAllowed();
  }
}
