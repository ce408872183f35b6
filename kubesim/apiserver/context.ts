// What every resource handler receives: the cluster's parts, who is asking, what
// they address, and the raw request. Built once per request by server.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from './auth/index.ts';
import type { Clock, Rng } from '../core/clock.ts';
import type { PodIO } from '../core/podio.ts';
import type { ResourceDef } from '../core/registry.ts';
import type { Store } from '../core/store.ts';
import type { RequestContext, ResourceBehaviour, UserInfo } from '../core/strategy.ts';
import { addWarnings } from './fieldcheck.ts';

export type { RequestAttributes } from './auth/index.ts';

/** The auth module (kubesim/apiserver/auth) as the REST layer uses it. */
export type ApiAuth = Auth;

export interface WatchSettings {
  /** Used when a watch gives no timeoutSeconds (the real server picks 30–60 min). */
  defaultTimeoutSeconds: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (clock ms). */
  bookmarkIntervalMs: number;
}

export interface ApiServerDeps {
  store: Store;
  clock: Clock;
  rng: Rng;
  behaviour: ResourceBehaviour;
  auth: ApiAuth;
  podIO?: PodIO;
  watch?: Partial<WatchSettings>;
}

export interface ResourceCall {
  deps: ApiServerDeps;
  user: UserInfo;
  resource: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  params: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
  /** Registers a live stream so close() can end it; returns the unregister function. */
  track(end: () => void): () => void;
}

export function strategyContext(call: ResourceCall, dryRun: boolean, subresource = call.subresource): RequestContext {
  const { store, clock, rng } = call.deps;
  const warn = (text: string) => addWarnings(call.res, [text]);
  return { store, clock, rng, user: call.user, resource: call.resource, subresource, dryRun, warn };
}
