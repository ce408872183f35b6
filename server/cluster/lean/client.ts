// ClusterClient over node:https alone, for commands that start, grade and exit
// (`kubelab grade`): loading client-node costs more than a whole grade. Same
// contract as client.ts: plain JSON in and out, discovery for any kind, every failure
// a named KubernetesError with the apiserver's message.
import http from 'node:http';
import https from 'node:https';
// zod/mini (see graders/zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from '../../../graders/zod-mini.ts';
import { NotFoundError } from '../../../graders/cluster/errors.ts';
import { errorForStatus, errorForTransport, undefinedIfNotFound } from '../status-errors.ts';
import type { ClusterClient, KindInfo, KubeObject, ListQuery, ObjectRef, PatchType, ServerInfo } from '../types.ts';
import { agentFor, apiUrl, authHeaders, type LeanConnection } from './connection.ts';

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

const resourceList = z.object({
  resources: z.array(z.looseObject({ name: z.string(), kind: z.string(), namespaced: z.boolean() })),
});
const objectList = z.object({ items: z.nullish(z.array(z.looseObject({}))) });
const tokenReview = z.object({ status: z.object({ token: z.string().check(z.minLength(1)), expirationTimestamp: z.string() }) });

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

function describe(ref: { kind: string; name?: string | undefined; namespace?: string | undefined }): string {
  return `${ref.kind}${ref.name ? ` ${ref.name}` : ''}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}

export class LeanClusterClient implements ClusterClient {
  readonly server: ServerInfo;
  readonly #connection: LeanConnection;
  readonly #agent: http.Agent;
  /** Per group/version: kind → resource, one discovery request each. */
  readonly #discovery = new Map<string, Promise<Map<string, KindInfo> | undefined>>();

  constructor(connection: LeanConnection) {
    this.#connection = connection;
    this.#agent = agentFor(connection);
    this.server = {
      url: connection.server.toString().replace(/\/$/, ''),
      ...(connection.ca ? { caData: connection.ca.toString('base64') } : {}),
      ...(connection.servername ? { tlsServerName: connection.servername } : {}),
      ...(connection.rejectUnauthorized ? {} : { insecureSkipTlsVerify: true }),
    };
  }

  async kind(apiVersion: string, kind: string): Promise<KindInfo | undefined> {
    let resources = this.#discovery.get(apiVersion);
    if (!resources) {
      resources = this.#discover(apiVersion);
      this.#discovery.set(apiVersion, resources);
      // A failed discovery (cluster unreachable) is tried again next time.
      resources.catch(() => this.#discovery.delete(apiVersion));
    }
    return (await resources)?.get(kind);
  }

  async #discover(apiVersion: string): Promise<Map<string, KindInfo> | undefined> {
    try {
      const body = await this.#send({ method: 'GET', path: apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}` }, `discovery of ${apiVersion}`);
      const kinds = new Map<string, KindInfo>();
      // Subresources (pods/exec, deployments/scale) share their parent's kind; skip them.
      for (const r of resourceList.parse(body).resources) if (!r.name.includes('/')) kinds.set(r.kind, { resource: r.name, namespaced: r.namespaced });
      return kinds;
    } catch (err) {
      // An unknown group/version answers 404: the same meaning as an unknown kind.
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async #path(ref: { apiVersion: string; kind: string; namespace?: string | undefined; name?: string | undefined }): Promise<string> {
    const info = await this.kind(ref.apiVersion, ref.kind);
    if (!info) throw new NotFoundError(`the server does not serve kind "${ref.kind}" in version "${ref.apiVersion}"`, 404, 'NotFound');
    const base = ref.apiVersion === 'v1' ? '/api/v1' : `/apis/${ref.apiVersion}`;
    const scope = info.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
    return `${base}${scope}/${info.resource}${ref.name ? `/${encodeURIComponent(ref.name)}` : ''}`;
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    return (await this.#send({ method: 'GET', path: await this.#path(ref) }, `get ${describe(ref)}`)) as KubeObject;
  }

  find(ref: ObjectRef): Promise<KubeObject | undefined> {
    return undefinedIfNotFound(this.get(ref));
  }

  async list(q: ListQuery): Promise<KubeObject[]> {
    const what = `list ${describe(q)}`;
    const body = await this.#send({ method: 'GET', path: await this.#path(q), query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector } }, what);
    // Lists omit kind/apiVersion on items; put them back so callers hold whole objects.
    return (objectList.parse(body).items ?? []).map((item) => ({ ...item, apiVersion: q.apiVersion, kind: q.kind }) as KubeObject);
  }

  async create(obj: KubeObject, options: { fieldManager?: string } = {}): Promise<KubeObject> {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace };
    return (await this.#send({ method: 'POST', path: await this.#path(ref), body: obj, query: { fieldManager: options.fieldManager } }, `create ${describe({ kind: obj.kind, ...obj.metadata })}`)) as KubeObject;
  }

  async patch(ref: ObjectRef, patch: unknown, type: PatchType = 'merge', options: { fieldManager?: string } = {}): Promise<KubeObject> {
    const request: Request = { method: 'PATCH', path: await this.#path(ref), body: patch, contentType: PATCH_TYPES[type], query: { fieldManager: options.fieldManager } };
    return (await this.#send(request, `patch ${describe(ref)}`)) as KubeObject;
  }

  async delete(ref: ObjectRef): Promise<void> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    await this.#send({ method: 'DELETE', path: await this.#path(ref), body }, `delete ${describe(ref)}`);
  }

  async createToken(namespace: string, serviceAccount: string, expirationSeconds: number): Promise<{ token: string; expiresAt: string }> {
    const body = await this.#send(
      {
        method: 'POST',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
      },
      `token for ServiceAccount ${serviceAccount} in ${namespace}`,
    );
    const parsed = tokenReview.parse(body);
    return { token: parsed.status.token, expiresAt: parsed.status.expirationTimestamp };
  }

  withToken(token: string): ClusterClient {
    const { cert: _cert, key: _key, ...rest } = this.#connection;
    return new LeanClusterClient({ ...rest, token: () => token });
  }

  /** Lets the process end: idle kept-alive sockets are closed. */
  close(): void {
    this.#agent.destroy();
  }

  #send(req: Request, what: string): Promise<unknown> {
    const url = apiUrl(this.#connection, req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(this.#connection) };
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: req.method, agent: this.#agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => reject(errorForTransport(err, what)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = response.statusCode ?? 0;
          if (code < 200 || code > 299) return reject(errorForStatus(code, text, what));
          try {
            resolve(text ? JSON.parse(text) : {});
          } catch (err) {
            reject(errorForStatus(502, `not JSON: ${text.slice(0, 200)}`, what, err));
          }
        });
      });
      request.on('error', (err) => reject(errorForTransport(err, what)));
      request.end(payload);
    });
  }
}
