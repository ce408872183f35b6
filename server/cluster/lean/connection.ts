// What the lean client needs from a kubeconfig: the server, its TLS material and a
// bearer token or client certificate. Only those auth shapes are taken; a user with an
// exec plugin, an auth-provider, a password or impersonation (anything else) gets
// undefined, and the caller loads client-node, which understands them all.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import type { KubeconfigDocument } from '../kubeconfig-schema.ts';

export interface LeanConnection {
  /** The apiserver's base URL, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  readonly server: URL;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly servername?: string;
  readonly rejectUnauthorized: boolean;
  /** The bearer token for the next request (a token file is read again each time, as the kubelet rotates it). */
  readonly token: () => string | undefined;
}

const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);
const USER_KEYS = new Set(['token', 'tokenFile', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'extensions']);

/** The current context's connection, or undefined when it needs client-node's auth support. */
export function leanConnection(doc: KubeconfigDocument, baseDir: string): LeanConnection | undefined {
  const context = doc.contexts.find((c) => c.name === doc['current-context'])!.context;
  const cluster = doc.clusters.find((c) => c.name === context.cluster)!.cluster;
  const user = doc.users.find((u) => u.name === context.user)!.user;
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k)) || Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined;
  const file = (name: unknown) => (typeof name === 'string' ? readFileSync(isAbsolute(name) ? name : resolve(baseDir, name)) : undefined);
  const data = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64') : undefined);
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  const tokenFile = user.tokenFile === undefined ? undefined : isAbsolute(user.tokenFile) ? user.tokenFile : resolve(baseDir, user.tokenFile);
  const token = user.token !== undefined ? () => user.token : tokenFile !== undefined ? () => readFileSync(tokenFile, 'utf8').trim() : () => undefined;
  return {
    server: new URL(cluster.server),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster['tls-server-name'] ? { servername: cluster['tls-server-name'] } : {}),
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
    token,
  };
}

const agents = new WeakMap<LeanConnection, http.Agent>();

/**
 * The one kept-alive agent of a connection, for API requests and exec upgrades alike.
 * It holds one TLS context (given only the PEMs, node:tls would parse the CA, the
 * certificate and the key again for every socket, and a grade opens a dozen: exec
 * streams cannot share one), and it remembers the server's TLS session, so every
 * socket after the first resumes it instead of doing the full handshake again.
 */
export function agentFor(c: LeanConnection): http.Agent {
  let agent = agents.get(c);
  if (agent === undefined) {
    agent =
      c.server.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            secureContext: createSecureContext({ ...(c.ca ? { ca: c.ca } : {}), ...(c.cert ? { cert: c.cert } : {}), ...(c.key ? { key: c.key } : {}) }),
            ...(c.servername ? { servername: c.servername } : {}),
            rejectUnauthorized: c.rejectUnauthorized,
          })
        : new http.Agent({ keepAlive: true });
    agents.set(c, agent);
  }
  return agent;
}

/** The URL of an API path on this server (a path prefix in the server URL is kept). */
export function apiUrl(c: LeanConnection, apiPath: string): URL {
  return new URL(apiPath.replace(/^\//, ''), c.server.toString().replace(/\/?$/, '/'));
}

/** Headers every request carries. */
export function authHeaders(c: LeanConnection): Record<string, string> {
  const token = c.token();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
