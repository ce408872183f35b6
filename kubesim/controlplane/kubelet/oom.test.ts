// A runaway shell as the kubelet reports it: OOMKilled with exit code 137 in lastState
// and a restart (restartPolicy Always), or terminated OOMKilled and phase Failed
// (restartPolicy Never) — never stuck in ContainerCreating. A busy loop under the
// namespace's LimitRange default runs on, throttled at the default's quota.
import { describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';
import { at, recs } from '../util/obj.ts';

const GROW = ['sh', '-c', 'x=a; while true; do x=$x$x; done'];

function pod(name: string, command: string[], restartPolicy: string, memory?: string) {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox', command, ...(memory ? { resources: { limits: { memory } } } : {}) }] },
  };
}

const status = (c: TestCluster, name: string) => recs(at(c.store.get('pods', 'default', name), 'status', 'containerStatuses'))[0];

describe('kubelet: OOM-killed and throttled containers', () => {
  it('restarts a container OOM-killed by a string-doubling loop, lastState terminated OOMKilled 137', async () => {
    const c = await startTestCluster(1, { cpuOnClusterClock: true, cpu: { breather: () => Promise.resolve() } });
    c.create('pods', pod('grow', GROW, 'Always', '2Mi'));
    await c.settle(3000);
    const s = status(c, 'grow');
    expect(at(s, 'lastState', 'terminated', 'reason')).toBe('OOMKilled');
    expect(at(s, 'lastState', 'terminated', 'exitCode')).toBe(137);
    expect(Number(at(s, 'restartCount'))).toBeGreaterThanOrEqual(1);
    expect(at(c.store.get('pods', 'default', 'grow'), 'status', 'phase')).not.toBe('Pending');
    expect(c.errors).toEqual([]);
  });

  it('with restartPolicy Never the Pod fails, its container terminated OOMKilled', async () => {
    const c = await startTestCluster(1, { cpuOnClusterClock: true, cpu: { breather: () => Promise.resolve() } });
    c.create('pods', pod('grow', GROW, 'Never'));
    c.create('limitranges', {
      apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'default' },
      spec: { limits: [{ type: 'Container', default: { cpu: '200m', memory: '1Mi' } }] },
    });
    c.create('pods', pod('grow2', GROW, 'Never'));
    await c.settle(3000);
    // grow was admitted before the LimitRange: the server's default cap ends it too.
    for (const name of ['grow', 'grow2']) {
      expect(at(status(c, name), 'state', 'terminated', 'reason')).toBe('OOMKilled');
      expect(at(status(c, name), 'state', 'terminated', 'exitCode')).toBe(137);
      expect(at(c.store.get('pods', 'default', name), 'status', 'phase')).toBe('Failed');
    }
  });

  it('a busy loop under the LimitRange default keeps running, throttled every slice at 200m', async () => {
    const c = await startTestCluster(1, { cpuOnClusterClock: true, cpu: { breather: () => Promise.resolve(), unitsPerCore: 1000, sliceMs: 100 } });
    c.create('limitranges', {
      apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'default' },
      spec: { limits: [{ type: 'Container', default: { cpu: '200m', memory: '128Mi' } }] },
    });
    c.create('pods', pod('spin', ['sh', '-c', 'while true; do :; done'], 'Always'));
    await c.settle(2000);
    expect(at(status(c, 'spin'), 'state', 'running')).toBeDefined();
    const account = c.runtime.cpu.accounts().find((a) => a.key.pod === 'spin');
    expect(account?.quota).toBe(200);
    const stat = account?.cpuStat();
    // Throttled in every slice it ran in, and never more than its quota plus one loop turn a slice.
    expect(stat?.throttled).toBe(stat?.periods);
    expect(stat?.usageUnits).toBeLessThanOrEqual((stat?.periods ?? 0) * 203);
  });
});
