// ClusterClient over client-node: discovery, auth and TLS come from the KubeConfig;
// RawObjectApi moves plain JSON; every failure becomes a named KubernetesError.
import { KubeConfig } from '@kubernetes/client-node';
// zod/mini (see graders/zod-mini.ts): `kubelab grade` loads this for kubeconfigs the lean client
// cannot serve, and the one-shot command starts faster without classic zod.
import * as z from '../../graders/zod-mini.ts';
import { NotFoundError, toKubernetesError } from './errors.ts';
import { undefinedIfNotFound } from './status-errors.ts';
import { RawObjectApi } from './raw-api.ts';
import type { ClusterClient, KindInfo, KubeObject, ListQuery, ObjectRef, PatchType, ServerInfo } from './types.ts';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

const listSchema = z.object({ items: z._default(z.array(z.looseObject({})), []) });
const tokenSchema = z.object({
  status: z.object({ token: z.string().check(z.minLength(1)), expirationTimestamp: z.string() }),
});

function describe(ref: { kind: string; name?: string; namespace?: string }): string {
  return `${ref.kind}${ref.name ? ` ${ref.name}` : ''}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}

export class KubeClusterClient implements ClusterClient {
  readonly server: ServerInfo;
  private readonly api: RawObjectApi;

  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = {
      url: cluster.server,
      ...(cluster.caData ? { caData: cluster.caData } : {}),
      ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
      ...(cluster.skipTLSVerify ? { insecureSkipTlsVerify: true } : {}),
    };
    this.api = kc.makeApiClient(RawObjectApi);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toKubernetesError(err, what);
    }
  }

  private async path(obj: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } }, action: 'create' | 'read' | 'list' | 'patch' | 'delete'): Promise<string> {
    const info = await this.kind(obj.apiVersion, obj.kind);
    if (!info) throw new NotFoundError(`the server does not serve kind "${obj.kind}" in version "${obj.apiVersion}"`, 404, 'NotFound');
    return this.api.pathFor({ ...obj, metadata: { ...obj.metadata } }, action);
  }

  async kind(apiVersion: string, kind: string): Promise<KindInfo | undefined> {
    const r = await this.call(`discovery of ${apiVersion}`, () => this.api.discover(apiVersion, kind));
    return r ? { resource: r.name, namespaced: r.namespaced } : undefined;
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    return this.call(`get ${describe(ref)}`, async () =>
      this.api.send<KubeObject>({ method: 'GET', path: await this.path(toSpec(ref), 'read') }),
    );
  }

  find(ref: ObjectRef): Promise<KubeObject | undefined> {
    return undefinedIfNotFound(this.get(ref));
  }

  async list(q: ListQuery): Promise<KubeObject[]> {
    return this.call(`list ${describe(q)}`, async () => {
      const path = await this.path({ apiVersion: q.apiVersion, kind: q.kind, metadata: q.namespace ? { namespace: q.namespace } : {} }, 'list');
      const body = await this.api.send<unknown>({ method: 'GET', path, query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector } });
      // Lists omit kind/apiVersion on items; put them back so callers hold whole objects.
      return listSchema.parse(body).items.map((item) => ({ ...item, apiVersion: q.apiVersion, kind: q.kind }) as KubeObject);
    });
  }

  async create(obj: KubeObject, options: { fieldManager?: string } = {}): Promise<KubeObject> {
    return this.call(`create ${describe({ kind: obj.kind, ...obj.metadata })}`, async () =>
      this.api.send<KubeObject>({ method: 'POST', path: await this.path(obj, 'create'), body: obj, query: { fieldManager: options.fieldManager } }),
    );
  }

  async patch(ref: ObjectRef, patch: unknown, type: PatchType = 'merge', options: { fieldManager?: string } = {}): Promise<KubeObject> {
    return this.call(`patch ${describe(ref)}`, async () =>
      this.api.send<KubeObject>({
        method: 'PATCH',
        path: await this.path(toSpec(ref), 'patch'),
        body: patch,
        contentType: patchContentTypes[type],
        query: { fieldManager: options.fieldManager },
      }),
    );
  }

  async delete(ref: ObjectRef): Promise<void> {
    await this.call(`delete ${describe(ref)}`, async () =>
      this.api.send<unknown>({
        method: 'DELETE',
        path: await this.path(toSpec(ref), 'delete'),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      }),
    );
  }

  async createToken(namespace: string, serviceAccount: string, expirationSeconds: number): Promise<{ token: string; expiresAt: string }> {
    return this.call(`token for ServiceAccount ${serviceAccount} in ${namespace}`, async () => {
      const body = await this.api.send<unknown>({
        method: 'POST',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
      });
      const parsed = tokenSchema.parse(body);
      return { token: parsed.status.token, expiresAt: parsed.status.expirationTimestamp };
    });
  }

  withToken(token: string): ClusterClient {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'bearer', token }],
      contexts: [{ name: 'bearer', cluster: cluster.name, user: 'bearer' }],
      currentContext: 'bearer',
    });
    return new KubeClusterClient(kc);
  }
}

function toSpec(ref: ObjectRef): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name } };
}
