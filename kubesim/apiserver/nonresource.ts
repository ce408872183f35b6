// Non-resource endpoints: discovery, /version, OpenAPI v3 (and an empty v2) and health checks.
// Source: k8s.io/apiserver/pkg/server/routes (version.go, openapi.go), healthz/healthz.go.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery.ts';
import { methodNotAllowed, notFoundPath, sendJson } from './http.ts';
import type { OpenApiDocs } from './openapi.ts';
import type { Route } from './route.ts';

export interface NonResourceState {
  openapi: OpenApiDocs;
  /** host:port clients reach us at (APIVersions.serverAddressByClientCIDRs). */
  serverAddress: string;
}

const HEALTH = /^\/(healthz|livez|readyz)(\/[a-z0-9-]+)*$/;

type NonResourceRoute = Extract<Route, { type: 'nonresource' | 'groupversion' | 'unknown' }>;

function body(state: NonResourceState, route: NonResourceRoute): { json: unknown } | { text: string } | { protobuf: Buffer } | undefined {
  if (route.type === 'unknown') return undefined;
  if (route.type === 'groupversion') return { json: apiResourceList(route.group, route.version) };
  const path = route.path;
  if (path === '/api') return { json: apiVersions(state.serverAddress) };
  if (path === '/apis') return { json: apiGroupList() };
  if (path.startsWith('/apis/')) {
    const doc = apiGroupDoc(path.slice('/apis/'.length));
    return doc ? { json: doc } : undefined;
  }
  if (path === '/version') return { json: VERSION_INFO };
  if (HEALTH.test(path)) return { text: 'ok' };
  if (path === '/openapi/v2') return { protobuf: state.openapi.v2 };
  if (path === '/openapi/v3') return { json: state.openapi.index };
  if (path.startsWith('/openapi/v3/')) {
    const doc = state.openapi.documents.get(path.slice('/openapi/v3/'.length));
    return doc ? { text: doc.body } : undefined;
  }
  if (path === '/') {
    const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version',
      ...[...state.openapi.documents.keys()].filter((k) => k.startsWith('apis/')).map((k) => `/${k}`)];
    return { json: { paths: paths.sort() } };
  }
  return undefined;
}

export function serveNonResource(state: NonResourceState, route: NonResourceRoute, req: IncomingMessage, res: ServerResponse): void {
  const found = body(state, route);
  if (!found) throw notFoundPath();
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
  if ('json' in found) return sendJson(res, 200, found.json);
  if ('protobuf' in found) {
    // The content type kube-openapi's handler answers protobuf requests with.
    res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'X-Content-Type-Options': 'nosniff' });
    res.end(found.protobuf);
    return;
  }
  const isOpenApi = route.type === 'nonresource' && route.path.startsWith('/openapi/');
  res.writeHead(200, {
    'Content-Type': isOpenApi ? 'application/json' : 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...(isOpenApi ? { 'Cache-Control': 'public, immutable' } : {}),
  });
  res.end(found.text);
}
