// GET and LIST: selectors, chunking with opaque continue tokens, and the Table /
// PartialObjectMetadata representations kubectl and metadata clients ask for.
// Source: k8s.io/apiserver/pkg/endpoints/handlers/get.go,
// k8s.io/apiserver/pkg/storage/continue.go (token shape).

import { StatusError, badRequest, notFound } from '../core/errors.ts';
import { apiVersionOf, type ResourceDef } from '../core/registry.ts';
import type { StoredObject } from '../core/types.ts';
import { representationOf } from './accept.ts';
import type { ResourceCall } from './context.ts';
import { sendJson } from './http.ts';
import { withTypeMeta } from './objects.ts';
import type { ListQuery } from './query.ts';
import { matches, parseSelector, type Selector } from './selectors.ts';
import { toTable } from './tables/index.ts';

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (e) {
    throw badRequest(`continue key is not valid: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed === 'object' && parsed !== null && 'rv' in parsed && 'start' in parsed &&
      typeof parsed.rv === 'number' && typeof parsed.start === 'string') {
    return { rv: parsed.rv, start: parsed.start };
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

const keyOf = (o: StoredObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function selectorFor(call: ResourceCall, query: ListQuery): Selector {
  const sel = parseSelector(call.resource, query.labelSelector, query.fieldSelector);
  // A named watch (…/pods/x?watch=1) is a watch with metadata.name=x.
  if (call.name !== undefined) sel.fields.push({ field: 'metadata.name', op: '=', value: call.name });
  return sel;
}

export function listObjects(call: ResourceCall, sel: Selector): StoredObject[] {
  const r = call.resource;
  return call.deps.store.list(r.key, r.namespaced ? call.namespace : undefined).filter((o) => matches(sel, o));
}

function partial(r: ResourceDef, o: StoredObject): Record<string, unknown> {
  void r;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function sendList(call: ResourceCall, query: ListQuery): void {
  const { resource: r, deps } = call;
  const sel = selectorFor(call, query);
  let items = listObjects(call, sel);
  let rv = deps.store.resourceVersion;
  if (query.continue) {
    const token = decodeContinue(query.continue);
    if (token.rv < deps.store.oldestResumableVersion) {
      throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    rv = token.rv;
    items = items.filter((o) => keyOf(o) > token.start);
  }
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (query.limit && items.length > query.limit) {
    const rest = items.length - query.limit;
    items = items.slice(0, query.limit);
    meta['continue'] = encodeContinue({ rv, start: keyOf(items[items.length - 1]!) });
    if (sel.labels.length === 0 && sel.fields.length === 0) meta['remainingItemCount'] = rest;
  }
  const rep = representationOf(call.req.headers.accept);
  if (rep === 'table') {
    sendJson(call.res, 200, toTable(r, items, {
      now: deps.clock.now(),
      includeObject: query.includeObject ?? 'Metadata',
      resourceVersion: String(rv),
      continueToken: typeof meta['continue'] === 'string' ? meta['continue'] : undefined,
    }));
    return;
  }
  if (rep === 'partial') {
    sendJson(call.res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: items.map((o) => partial(r, o)) });
    return;
  }
  sendJson(call.res, 200, { kind: r.listKind, apiVersion: apiVersionOf(r), metadata: meta, items: items.map((o) => withTypeMeta(r, o)) });
}

export function getObject(call: ResourceCall): StoredObject {
  const r = call.resource;
  const name = call.name ?? '';
  const obj = call.deps.store.get(r.key, r.namespaced ? call.namespace : undefined, name);
  if (!obj) throw notFound(r.plural, r.group, name);
  return withTypeMeta(r, obj);
}

export function sendObject(call: ResourceCall, obj: StoredObject, includeObject: ListQuery['includeObject']): void {
  const r = call.resource;
  const rep = representationOf(call.req.headers.accept);
  if (rep === 'table') {
    sendJson(call.res, 200, toTable(r, [obj], {
      now: call.deps.clock.now(), includeObject: includeObject ?? 'Metadata', resourceVersion: obj.metadata.resourceVersion,
    }));
  } else if (rep === 'partial') {
    sendJson(call.res, 200, partial(r, obj));
  } else {
    sendJson(call.res, 200, obj);
  }
}
