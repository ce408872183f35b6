// The embedded cluster's API server: a plain node:http server (full control of
// upgrades and chunked streams) that authenticates, authorizes, routes and answers
// every request with real Kubernetes shapes.
// Source: k8s.io/apiserver/pkg/server/config.go (DefaultBuildHandlerChain order:
// authentication → authorization → handler).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError } from '../core/errors.ts';
import type { UserInfo } from '../core/strategy.ts';
import type { ApiServerDeps, RequestAttributes, ResourceCall } from './context.ts';
import { sendStatusError } from './http.ts';
import { effectiveUser } from './impersonate.ts';
import { serveNonResource, type NonResourceState } from './nonresource.ts';
import { buildOpenApi, type OpenApiDocs } from './openapi.ts';
import { dispatch, verbFor } from './dispatch.ts';
import { upgradePortForward } from './portforward/upgrade.ts';
import { parseRoute, requestUrl, type Route } from './route.ts';
import { isWebSocketUpgrade, refuseUpgrade, RefusalMemo, requirePodIO, spdyRefusal } from './streams.ts';
import { podUpgrades, servedUpgrades } from './upgrades.ts';

export interface ApiServer {
  readonly server: Server;
  /** Listen on host:port (0 = ephemeral); resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** End every watch and stream, then stop listening. */
  close(): Promise<void>;
}

function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

function internalError(): StatusError {
  return new StatusError(500, 'InternalError', 'Internal error occurred: the embedded API server failed to handle the request');
}

type ResourceRoute = Extract<Route, { type: 'resource' }>;

function attributesFor(route: ResourceRoute, verb: string, path: string): RequestAttributes {
  return {
    verb,
    group: route.resource.group,
    resource: route.resource.plural,
    subresource: route.subresource,
    namespace: route.resource.namespaced ? route.namespace : route.resource.key === 'namespaces' ? route.name : undefined,
    name: route.name,
    path,
    resourceRequest: true,
  };
}

export interface ApiServerOptions {
  /** Serve https with this key pair (kubectl sends tokens only over TLS); plain http otherwise. */
  tls?: { cert: string; key: string };
  /** Where unexpected errors go (they become a 500 without details). Default: console.error. */
  onError?: (error: unknown) => void;
}

export function createApiServer(deps: ApiServerDeps, options: ApiServerOptions = {}): ApiServer {
  const onError = options.onError ?? ((e: unknown) => console.error('kubesim apiserver:', e));
  const scheme = options.tls ? 'https' : 'http';
  const streams = new Set<() => void>();
  const sockets = new Set<Duplex>();
  const memo = new RefusalMemo();
  // The OpenAPI documents are built on first request (kubectl apply, explain), not while
  // the cluster starts: most runs never ask, and every start would pay for them.
  let openapi: OpenApiDocs | undefined;
  const state: NonResourceState = {
    get openapi() {
      return (openapi ??= buildOpenApi());
    },
    serverAddress: '127.0.0.1:6443',
  };

  const track = (end: () => void): (() => void) => {
    streams.add(end);
    return () => streams.delete(end);
  };

  function fail(res: ServerResponse, err: unknown): void {
    if (err instanceof StatusError) return sendStatusError(res, err);
    onError(err);
    if (res.headersSent) res.destroy();
    else sendStatusError(res, internalError());
  }

  function authorizeOrThrow(user: UserInfo, attrs: RequestAttributes): void {
    if (!deps.auth.authorize(user, attrs).allowed) throw deps.auth.forbiddenError(user, attrs);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url ?? '/');
    const authenticated = deps.auth.authenticate(req.headers);
    if (!authenticated) throw unauthorized();
    const user = effectiveUser(deps.auth, authenticated, req, url.pathname);
    const route = parseRoute(url.pathname);
    if (route.type === 'nonresource' || route.type === 'groupversion' || route.type === 'unknown') {
      // Discovery, /version, /openapi and health are open to every authenticated user (system:discovery).
      return serveNonResource(state, route, req, res);
    }
    const verb = verbFor(req.method ?? 'GET', route, url.searchParams);
    authorizeOrThrow(user, attributesFor(route, verb, url.pathname));
    const call: ResourceCall = {
      deps, user, resource: route.resource, namespace: route.namespace, name: route.name, subresource: route.subresource,
      params: url.searchParams, req, res, track,
    };
    await dispatch(call, verb);
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client hanging up mid-stream (Ctrl-C on kubectl port-forward) is not a server error.
    socket.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') onError(e); });
    const rawUrl = req.url ?? '/';
    try {
      const url = requestUrl(rawUrl);
      const authenticated = deps.auth.authenticate(req.headers);
      if (!authenticated) throw unauthorized();
      const user = effectiveUser(deps.auth, authenticated, req, url.pathname);
      const route = parseRoute(url.pathname);
      if (route.type === 'resource' && route.resource.key === 'pods' && route.subresource === 'portforward' && route.name) {
        // Both the WebSocket GET and the SPDY POST need `create pods/portforward`, as the real server checks.
        authorizeOrThrow(user, attributesFor(route, 'create', url.pathname));
        const pod = deps.store.get('pods', route.namespace, route.name);
        if (!pod) throw new StatusError(404, 'NotFound', `pods "${route.name}" not found`, { name: route.name, kind: 'pods' });
        return upgradePortForward({ podIO: deps.podIO, pod, req, socket, head, track });
      }
      const serve = route.type === 'resource' && route.resource.key === 'pods' && route.name ? podUpgrades.get(route.subresource ?? '') : undefined;
      if (route.type !== 'resource' || !route.name || !serve) {
        throw new StatusError(400, 'BadRequest', `upgrade requests are served only for ${servedUpgrades()}, pods/portforward (got ${url.pathname})`);
      }
      const ws = isWebSocketUpgrade(req);
      authorizeOrThrow(user, attributesFor(route, ws ? 'get' : 'create', url.pathname));
      // A WebSocket upgrade is a GET, but exec/attach act on the Pod: `create` is required too
      // (AuthorizePodWebsocketUpgradeCreatePermission, on by default since 1.31).
      if (ws) authorizeOrThrow(user, attributesFor(route, 'create', url.pathname));
      const pod = deps.store.get('pods', route.namespace, route.name);
      if (!pod) throw new StatusError(404, 'NotFound', `pods "${route.name}" not found`, { name: route.name, kind: 'pods' });
      if (!ws) throw spdyRefusal(memo, rawUrl);
      try {
        serve(requirePodIO(deps.podIO), req, socket, head, pod, url.searchParams);
      } catch (err) {
        if (err instanceof StatusError) memo.remember(rawUrl, err);
        throw err;
      }
    } catch (err) {
      if (err instanceof StatusError) return refuseUpgrade(socket, err);
      onError(err);
      refuseUpgrade(socket, internalError());
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => fail(res, err));
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener);
  server.on('upgrade', handleUpgrade);
  // No clientError/tlsClientError listeners: Node then answers malformed HTTP with 400 and
  // drops failed TLS handshakes itself, as Go's server does (it only logs them).

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          state.serverAddress = `${host}:${addr.port}`;
          resolve(`${scheme}://${host}:${addr.port}`);
        });
      });
    },
    close() {
      for (const end of [...streams]) end();
      for (const socket of [...sockets]) socket.destroy();
      return new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
