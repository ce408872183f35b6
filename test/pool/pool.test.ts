// Cluster pools end to end: real embedded clusters (one kubesim each), the real app and
// SQLite file. Proves placement by free share and stickiness, per-member routing of
// namespaces, kubeconfigs and grades, the plain 503 for learners on a member that
// stopped while the others keep working, admin cordon/drain, and per-member reconcile.
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../server/environments/reconcile.ts';
import * as L from '../../server/environments/labels.ts';
import { auth, envUrl, startPoolApp, type PoolApp } from './pool-app.ts';

const EX = 'clusterip-basics';
let t: PoolApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const nsExists = async (app: PoolApp, member: string, namespace: string) =>
  (await app.platform.pool.get(member).client.find({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) !== undefined;

async function start(app: PoolApp, token: string, exercise = EX) {
  const res = await app.app.inject({ method: 'PUT', url: envUrl(exercise), headers: auth(token) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().environment as { namespace: string; status: string };
}

const clusterOf = (app: PoolApp, namespace: string) => app.db.environments.selectOptionalByNamespace(namespace)?.cluster;

describe('cluster pool', () => {
  it('places by free share of capacity, keeps a learner on their member, routes namespaces and kubeconfigs there', async () => {
    t = await startPoolApp([{ name: 'a', capacity: 4 }, { name: 'b', capacity: 2 }, { name: 'c', capacity: 2 }], { KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: '3' });
    const ann = t.learner('ann');
    const bo = t.learner('bo');
    const cy = t.learner('cy');

    // All empty: equal shares, the first listed wins.
    const annFirst = await start(t, ann.token);
    expect(clusterOf(t, annFirst.namespace)).toBe('a');
    // a is at 3/4 free, b and c at 2/2: the emptiest share goes first.
    const boEnv = await start(t, bo.token);
    expect(clusterOf(t, boEnv.namespace)).toBe('b');
    const cyEnv = await start(t, cy.token);
    expect(clusterOf(t, cyEnv.namespace)).toBe('c');
    // Ann's second lab stays with her first, though b and c are as free.
    const annSecond = await start(t, ann.token, 'target-port');
    expect(clusterOf(t, annSecond.namespace)).toBe('a');

    // Each namespace exists on its member only.
    expect(await nsExists(t, 'b', boEnv.namespace)).toBe(true);
    expect(await nsExists(t, 'a', boEnv.namespace)).toBe(false);
    expect(await nsExists(t, 'c', boEnv.namespace)).toBe(false);

    // Bo's kubeconfig points at b's API server, and works there.
    const kc = await t.app.inject({ url: envUrl(EX, '/kubeconfig'), headers: auth(bo.token) });
    expect(kc.statusCode).toBe(200);
    expect(kc.body).toContain(`server: ${t.platform.pool.get('b').client.server.url}`);
    expect(kc.body).not.toContain(t.platform.pool.get('a').client.server.url);

    const status = Object.fromEntries(t.platform.pool.status().map((s) => [s.name, s.used]));
    expect(status).toEqual({ a: 2, b: 1, c: 1 });
  });

  it('tells learners on a stopped member plainly (503) while learners on the others keep provisioning and grading', async () => {
    t = await startPoolApp([{ name: 'a', capacity: 5 }, { name: 'b', capacity: 5 }]);
    const ann = t.learner('ann');
    const bo = t.learner('bo');
    const annEnv = await start(t, ann.token);
    const boEnv = await start(t, bo.token);
    expect([clusterOf(t, annEnv.namespace), clusterOf(t, boEnv.namespace)]).toEqual(['a', 'b']);

    await t.platform.clusters.get('a')!.close();
    // One failed probe is not an outage; two in a row are.
    await t.platform.pool.probe();
    expect(t.platform.pool.isHealthy('a')).toBe(true);
    await t.platform.pool.probe();
    expect(t.platform.pool.isHealthy('a')).toBe(false);
    expect(t.platform.pool.isHealthy('b')).toBe(true);

    for (const res of [
      await t.app.inject({ url: envUrl(EX, '/kubeconfig'), headers: auth(ann.token) }),
      await t.app.inject({ method: 'POST', url: `/api/v1/exercises/${EX}/attempts`, headers: auth(ann.token) }),
    ]) {
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'cluster_member_unavailable', message: expect.stringContaining('the cluster your lab runs on is not answering; your work is kept') });
    }
    // Ann's record is untouched: her work is still there when a comes back.
    expect(t.db.environments.selectOptionalByNamespace(annEnv.namespace)?.status).toBe('ready');

    // Bo, on b, gets a kubeconfig and a real verdict.
    expect((await t.app.inject({ url: envUrl(EX, '/kubeconfig'), headers: auth(bo.token) })).statusCode).toBe(200);
    const graded = await t.app.inject({ method: 'POST', url: `/api/v1/exercises/${EX}/attempts`, headers: auth(bo.token) });
    expect(graded.statusCode, graded.body).toBe(202);
    await t.platform.grading.drain();
    const attempt = t.db.attempts.select(graded.json().attempt.id);
    expect(attempt.status).toBe('finished');
    expect(attempt.result).not.toBe('error');

    // A new learner goes to b, though a is emptier on paper.
    const cy = t.learner('cy');
    expect(clusterOf(t, (await start(t, cy.token)).namespace)).toBe('b');

    // Still ready (b answers), with a's state in the details.
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.clusters).toBe('1 of 2 answering');
    expect(ready.json().clusters.find((c: { name: string }) => c.name === 'a')).toMatchObject({ healthy: false, lastError: expect.any(String) });
  });

  it('lets admins see, cordon, uncordon and drain members; instructors and learners may not', async () => {
    t = await startPoolApp([{ name: 'a', capacity: 5 }, { name: 'b', capacity: 5 }]);
    const admin = t.learner('root', 'admin');
    const teacher = t.learner('teacher', 'instructor');
    const ann = t.learner('ann');
    const annEnv = await start(t, ann.token);
    expect(clusterOf(t, annEnv.namespace)).toBe('a');

    expect((await t.app.inject({ url: '/api/v1/admin/clusters', headers: auth(teacher.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/admin/clusters', headers: auth(ann.token) })).statusCode).toBe(403);
    const list = await t.app.inject({ url: '/api/v1/admin/clusters', headers: auth(admin.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json().clusters).toEqual([
      expect.objectContaining({ name: 'a', capacity: 5, used: 1, environments: 1, warm: 0, healthy: true, cordoned: false }),
      expect.objectContaining({ name: 'b', capacity: 5, used: 0, healthy: true, cordoned: false }),
    ]);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/clusters/nope/cordon', headers: auth(admin.token) })).json().error.code).toBe('cluster_not_found');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/clusters/NOT_A_NAME/cordon', headers: auth(admin.token) })).statusCode).toBe(400);

    const cordon = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clusters/a/cordon', headers: auth(admin.token) });
    expect(cordon.json().cluster).toMatchObject({ name: 'a', cordoned: true });
    // Ann's labs stay on a while it has room; cordoned, her next one goes to b.
    const annSecond = await start(t, ann.token, 'target-port');
    expect(clusterOf(t, annSecond.namespace)).toBe('b');
    await t.app.inject({ method: 'POST', url: '/api/v1/admin/clusters/a/uncordon', headers: auth(admin.token) });
    expect(t.platform.pool.status().find((s) => s.name === 'a')?.cordoned).toBe(false);

    // Drain: a is cordoned and emptied; Ann's next Start for that exercise lands on b.
    const drain = await t.app.inject({ method: 'POST', url: '/api/v1/admin/clusters/a/drain', headers: auth(admin.token) });
    expect(drain.statusCode, drain.body).toBe(200);
    expect(drain.json()).toMatchObject({ cluster: { name: 'a', cordoned: true, used: 0 }, deleted: [annEnv.namespace], failed: [] });
    expect(await nsExists(t, 'a', annEnv.namespace)).toBe(false);
    const again = await start(t, ann.token);
    expect(clusterOf(t, again.namespace)).toBe('b');
    expect(await nsExists(t, 'b', again.namespace)).toBe(true);
  });

  it('reconciles each member against its own records and skips a member that does not answer', async () => {
    t = await startPoolApp([{ name: 'a', capacity: 5 }, { name: 'b', capacity: 5 }, { name: 'c', capacity: 5 }]);
    const ann = t.learner('ann');
    const bo = t.learner('bo');
    const cy = t.learner('cy');
    const annEnv = await start(t, ann.token); // a
    const boEnv = await start(t, bo.token); // b
    const cyEnv = await start(t, cy.token); // c
    expect([annEnv, boEnv, cyEnv].map((e) => clusterOf(t!, e.namespace))).toEqual(['a', 'b', 'c']);

    // Behind kubelab's back: Ann's namespace vanishes from a; a kubelab-labelled stray appears on b.
    const a = t.platform.pool.get('a').client;
    const b = t.platform.pool.get('b').client;
    await a.delete({ apiVersion: 'v1', kind: 'Namespace', name: annEnv.namespace });
    await b.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kl-stray', labels: { [L.MANAGED_BY]: L.MANAGED_BY_VALUE } } });
    await t.platform.clusters.get('c')!.close();

    const report = await reconcile(t.db, t.platform.environments);
    expect(report.unreachableClusters).toEqual(['c']);
    expect(report.orphansDeleted).toContain('kl-stray');
    expect(report.orphansDeleted).not.toContain(boEnv.namespace);
    expect(report.recordsMarkedDeleted).toEqual([annEnv.namespace]);
    expect(t.db.environments.selectOptionalByNamespace(annEnv.namespace)?.status).toBe('deleted');
    expect(t.db.environments.selectOptionalByNamespace(boEnv.namespace)?.status).toBe('ready');
    // c's record waits for c: not marked deleted because c could not be asked.
    expect(t.db.environments.selectOptionalByNamespace(cyEnv.namespace)?.status).toBe('ready');
    expect(await nsExists(t, 'b', boEnv.namespace)).toBe(true);
  });
});
