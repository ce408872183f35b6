// The server-facing wiring: config → service, start-up reconcile, reaper on a schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.ts';
import { createEnvironmentService, startEnvironments } from '../../server/environments/index.ts';
import { startHarness, START, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('environment wiring', () => {
  it('takes TTL and limits from config, reconciles at start and reaps on each tick', async () => {
    const config = loadConfig({ KUBELAB_NAMESPACE_TTL: '30m', KUBELAB_MAX_ENVIRONMENTS: '5', KUBELAB_MAX_ENVIRONMENTS_PER_LEARNER: '1' });
    const service = createEnvironmentService({ config, db: h.db, cluster: h.admin, exercise: (id) => h.catalog.byId(id), now: () => h.clock.now });
    const user = h.learner('wired');
    const { environment } = await service.ensure(user, 'clusterip-basics');
    expect(environment.expiresAt).toBe(START + 30 * 60_000);

    const ticks: (() => void)[] = [];
    const running = await startEnvironments(h.db, service, {
      now: () => h.clock.now,
      scheduler: { every: (_ms, fn) => (ticks.push(fn), () => ticks.splice(0)) },
    });
    expect(running.reconciled.orphansDeleted).toEqual([]);
    h.clock.now = START + 31 * 60_000;
    ticks[0]?.();
    expect(await running.reaper.sweep()).toEqual([environment.namespace]);
    await running.reaper.stop();
    expect(ticks).toHaveLength(0);
  });
});
