// How controllers write: creates go through the same strategies and admission
// plugins the REST layer runs (so ReplicaSet-created Pods get defaults, LimitRange
// and ResourceQuota exactly like kubectl-created ones); status writes go straight
// to the store, as a status-subresource update would.

import type { Clock, Rng } from '../core/clock.ts';
import { invalid } from '../core/errors.ts';
import { randomSuffix } from '../core/clock.ts';
import { resourceByKey } from '../core/registry.ts';
import type { RequestContext, ResourceBehaviour } from '../core/strategy.ts';
import type { Store } from '../core/store.ts';
import type { KubeObject, StoredObject } from '../core/types.ts';
import { jsonEqual } from './util/obj.ts';

export class InternalClient {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly rng: Rng,
    private readonly behaviour: () => ResourceBehaviour,
  ) {}

  private context(key: string, username: string): RequestContext {
    const resource = resourceByKey(key);
    if (!resource) throw new Error(`unknown resource ${key}`);
    return {
      store: this.store,
      clock: this.clock,
      rng: this.rng,
      user: { username, groups: ['system:serviceaccounts', 'system:authenticated'] },
      resource,
      dryRun: false,
    };
  }

  /**
   * Create as the apiserver would: generateName, defaults, validation (422), admission
   * (403), store. Throws the StatusError a real client would get.
   */
  create(key: string, input: KubeObject, controllerName: string): StoredObject {
    const obj = structuredClone(input);
    const ctx = this.context(key, `system:serviceaccount:kube-system:${controllerName}`);
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = obj.metadata.generateName + randomSuffix(this.rng);
    }
    const strategy = this.behaviour().strategyFor(key);
    strategy?.prepareForCreate?.(obj, ctx);
    const errs = strategy?.validateCreate?.(obj, ctx) ?? [];
    if (errs.length > 0) throw invalid(obj.kind, ctx.resource.group, obj.metadata.name ?? '', errs);
    for (const plugin of this.behaviour().admission) plugin.admit('CREATE', obj, undefined, ctx);
    obj.metadata.generation = 1;
    return this.store.create(key, obj);
  }

  /** Replace an object; bumps generation when spec changed (the REST layer's rule). */
  update(key: string, obj: StoredObject): StoredObject {
    const old = this.store.peek(key, obj.metadata.namespace, obj.metadata.name);
    if (old && !jsonEqual(old.spec, obj.spec)) {
      obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
    }
    return this.store.update(key, obj);
  }

  /** Write only if something changed, so controllers do not wake each other for nothing. */
  updateIfChanged(key: string, obj: StoredObject): void {
    const old = this.store.peek(key, obj.metadata.namespace, obj.metadata.name);
    if (old && jsonEqual(old, obj)) return;
    this.update(key, obj);
  }
}
