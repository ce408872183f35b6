// Warm environments: namespaces provisioned ahead (setup applied, owned by nobody) that
// Start hands over at once. Proves the handover (owner labels, the learner's own
// ServiceAccount works in it), the background refill, expiry, reconcile keeping them,
// and that they count against a member's capacity.
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../server/environments/reconcile.ts';
import * as L from '../../server/environments/labels.ts';
import { ownerHash } from '../../server/environments/naming.ts';
import { nodeReaderBindingFor } from '../../server/environments/naming.ts';
import { WARM_OWNER } from '../../server/environments/warm.ts';
import { FIXED_NOW } from '../helpers/app.ts';
import { auth, envUrl, startPoolApp, type PoolApp } from './pool-app.ts';

const EX = 'readiness-endpoints';
let t: PoolApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const warmNames = (app: PoolApp) => app.db.clusterPool.listWarm().map((w) => w.namespace).sort();

describe('warm environments', () => {
  it('keeps N per exercise ready across members, hands one over on Start, refills, and replaces expired ones', async () => {
    const clock = { now: FIXED_NOW };
    t = await startPoolApp([{ name: 'a', capacity: 5 }, { name: 'b', capacity: 5 }], { KUBELAB_WARM_ENVIRONMENTS: `${EX}=2`, KUBELAB_NAMESPACE_TTL: '2h' }, () => clock.now);
    const warm = t.platform.warm!;
    await warm.settled();
    const first = t.db.clusterPool.listWarm();
    expect(first.map((w) => [w.exerciseId, w.status])).toEqual([[EX, 'ready'], [EX, 'ready']]);
    // Spread by free share like learners: one on each member.
    expect(first.map((w) => w.cluster).sort()).toEqual(['a', 'b']);
    for (const w of first) {
      expect(w.namespace).toMatch(/^kl-warm-readiness-endpoints-[0-9a-f]{16}$/);
      const client = t.platform.pool.get(w.cluster).client;
      const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: w.namespace });
      expect(ns.metadata.labels?.[L.OWNER]).toBe(WARM_OWNER);
      // Setup applied ahead: that is the point.
      expect(await client.find({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: w.namespace })).toBeDefined();
    }
    expect(t.platform.pool.status().map((s) => [s.name, s.environments, s.warm, s.used])).toEqual([['a', 0, 1, 1], ['b', 0, 1, 1]]);

    // Start: one of the warm namespaces becomes Ann's, relabelled for her.
    const ann = t.learner('ann');
    const res = await t.app.inject({ method: 'PUT', url: envUrl(EX), headers: auth(ann.token) });
    expect(res.statusCode, res.body).toBe(201);
    const env = res.json().environment;
    expect(env.status).toBe('ready');
    const taken = first.find((w) => w.namespace === env.namespace);
    expect(taken).toBeDefined();
    const member = t.platform.pool.get(taken!.cluster).client;
    const ns = await member.get({ apiVersion: 'v1', kind: 'Namespace', name: env.namespace });
    expect(ns.metadata.labels?.[L.OWNER]).toBe(ownerHash(ann.id));
    expect(ns.metadata.labels?.[L.EXPIRES]).toBe(String(Math.floor((clock.now + 2 * 3600_000) / 1000)));
    const binding = await member.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(env.namespace) });
    expect(binding.metadata.labels?.[L.OWNER]).toBe(ownerHash(ann.id));
    // Her own ServiceAccount works there: apply as the learner.
    const applied = await t.platform.environments.apply(ann.id, EX, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\ndata:\n  a: b\n');
    expect(applied.map((r) => r.action)).toEqual(['created']);

    // The refill puts the pool back at two, with a new name.
    await warm.settled();
    const refilled = t.db.clusterPool.listWarm();
    expect(refilled).toHaveLength(2);
    expect(refilled.map((w) => w.namespace)).not.toContain(env.namespace);

    // Reconcile keeps warm namespaces (they are known, not orphans).
    const report = await reconcile(t.db, t.platform.environments);
    for (const name of warmNames(t)) expect(report.orphansDeleted).not.toContain(name);

    // Past their time, warm namespaces are deleted and replaced.
    const before = warmNames(t);
    clock.now += 2 * 3600_000 + 1;
    await warm.refill();
    const after = warmNames(t);
    expect(after).toHaveLength(2);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
    for (const name of before) {
      const gone = await Promise.all(['a', 'b'].map((m) => t!.platform.pool.get(m).client.find({ apiVersion: 'v1', kind: 'Namespace', name })));
      expect(gone.every((n) => n === undefined || n.metadata.deletionTimestamp !== undefined)).toBe(true);
    }
  });

  it('counts warm namespaces against capacity: a full member takes no more, warm or learner', async () => {
    t = await startPoolApp([{ name: 'solo', capacity: 2 }], { KUBELAB_WARM_ENVIRONMENTS: `${EX}=3` });
    await t.platform.warm!.settled();
    // Target 3, room for 2.
    expect(t.db.clusterPool.listWarm()).toHaveLength(2);

    const ann = t.learner('ann');
    expect((await t.app.inject({ method: 'PUT', url: envUrl(EX), headers: auth(ann.token) })).statusCode).toBe(201);
    await t.platform.warm!.settled();
    expect(t.platform.pool.status()).toEqual([expect.objectContaining({ name: 'solo', environments: 1, warm: 1, used: 2 })]);

    // Another exercise has no warm pool: it needs a fresh slot, and there is none.
    const bo = t.learner('bo');
    const full = await t.app.inject({ method: 'PUT', url: envUrl('clusterip-basics'), headers: auth(bo.token) });
    expect(full.statusCode).toBe(429);
    expect(full.json().error.code).toBe('environment_capacity_reached');
    // The same exercise still starts at once from the last warm one.
    expect((await t.app.inject({ method: 'PUT', url: envUrl(EX), headers: auth(bo.token) })).statusCode).toBe(201);
  });
});
