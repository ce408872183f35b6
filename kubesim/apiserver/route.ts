// Turns a request path into what it addresses, as the apiserver's RequestInfoFactory
// does. Source: k8s.io/apiserver/pkg/endpoints/request/requestinfo.go

import { badRequest } from '../core/errors.ts';
import { RESOURCES, type ResourceDef } from '../core/registry.ts';

export type Route =
  | { type: 'nonresource'; path: string }
  | { type: 'groupversion'; group: string; version: string }
  | {
      type: 'resource';
      resource: ResourceDef;
      /** Set for namespaced requests (.../namespaces/{ns}/...); for namespaces themselves the name. */
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { type: 'unknown' };

/** Subresources addressed as /api/v1/namespaces/{name}/{sub} rather than a namespaced resource. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function servedGroupVersion(group: string, version: string): boolean {
  return RESOURCES.some((r) => r.group === group && r.version === version);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (e) {
    throw badRequest(`malformed path segment "${segment}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The request target as a URL, refusing "." and ".." path segments (also as %2e, or
 * after a backslash) before parsing: WHATWG URL parsing resolves them, so
 * DELETE .../namespaces/default/pods/.. would otherwise address the namespace.
 * The real apiserver never resolves them (a name may not be "." or "..").
 */
export function requestUrl(rawUrl: string): URL {
  const path = rawUrl.split(/[?#]/, 1)[0]!;
  for (const segment of path.split(/[/\\]/)) {
    const dots = segment.replace(/%2e/gi, '.');
    if (dots === '.' || dots === '..') {
      throw badRequest(`invalid request path ${JSON.stringify(path.slice(0, 200))}: path segments may not be '.' or '..'`);
    }
  }
  try {
    return new URL(rawUrl, 'http://kubesim');
  } catch (e) {
    throw badRequest(`invalid request URL: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'nonresource', path: '/api' };
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'nonresource', path: '/apis' };
    if (parts.length === 2) return { type: 'nonresource', path: `/apis/${parts[1]}` };
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { type: 'nonresource', path: '/' + parts.join('/') };
  }
  if (!servedGroupVersion(group, version)) return { type: 'unknown' };
  if (rest.length === 0) return { type: 'groupversion', group, version };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
      rest = rest.slice(2);
    } else {
      // /api/v1/namespaces/{name}[/status|/finalize] addresses the Namespace itself.
      const resource = lookup(group, version, 'namespaces');
      if (!resource || rest.length > 3) return { type: 'unknown' };
      return { type: 'resource', resource, name: rest[1], subresource: rest[2] };
    }
  }
  if (rest.length > 3) return { type: 'unknown' };
  const resource = lookup(group, version, rest[0]!);
  if (!resource) return { type: 'unknown' };
  if (namespace !== undefined && !resource.namespaced) return { type: 'unknown' };
  const name = rest[1];
  const subresource = rest[2];
  if (subresource !== undefined && !resource.subresources.some((s) => s.name === subresource)) return { type: 'unknown' };
  return { type: 'resource', resource, namespace, name, subresource };
}

function lookup(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}
