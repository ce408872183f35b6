// client-node's KubernetesObjectApi gives us discovery-driven URLs for any kind, but
// it (de)serializes bodies through its typed models, which silently drops fields it
// does not know and cannot express `null` in a merge patch. RawObjectApi keeps its
// discovery and auth plumbing and moves plain JSON in both directions, so what the
// learner wrote is what the apiserver validates.
import {
  HttpMethod,
  KubernetesObjectApi,
  type KubernetesObject,
  type ResponseContext,
  type V1APIResource,
} from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';

export type Action = 'create' | 'delete' | 'patch' | 'read' | 'list' | 'replace';

export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

const methods: Record<RawRequest['method'], HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export class RawObjectApi extends KubernetesObjectApi {
  /** Response bodies stay plain JSON (no model classes, no Date objects). */
  protected override async processResponse<T extends KubernetesObject>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      return (text ? JSON.parse(text) : {}) as T;
    }
    throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', text, response.headers);
  }

  /** The discovery entry for a kind, or undefined when the cluster does not serve it. */
  async discover(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    try {
      return await this.resource(apiVersion, kind);
    } catch (err) {
      // An unknown group/version answers 404 on discovery: same meaning as an unknown kind.
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  /** URL path for an object; the caller has checked the kind exists. */
  async pathFor(spec: KubernetesObject, action: Action): Promise<string> {
    return this.specUriPath(structuredClone(spec), action);
  }

  async send<T>(req: RawRequest): Promise<T> {
    const ctx = this.configuration.baseServer.makeRequestContext(req.path, methods[req.method]);
    ctx.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) ctx.setQueryParam(name, value);
    }
    if (req.body !== undefined) {
      ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(req.body));
    }
    return this.requestPromise(ctx) as Promise<T>;
  }
}
