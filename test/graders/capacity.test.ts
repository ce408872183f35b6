// A cluster with no room left is the platform's fault: the learner's checks come out
// `error` with a sentence saying so (never `fail`), and a probe Pod the node turns
// away ends the check at once instead of holding a grading slot for its ready timeout
// (graders/probes.ts cannotRun; the OutOfpods rejection itself is the kubelet's).
// The cluster here has tiny nodes (4 Pods each) so "full" takes a few Pods to reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../server/cluster/types.ts';
import { startGraderBench, summary, type GraderBench } from './harness.ts';

let bench: GraderBench;

beforeAll(async () => {
  bench = await startGraderBench(21, { maxPodsPerNode: 4 });
});
afterAll(async () => bench?.close());

function filler(namespace: string, replicas: number): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'filler', namespace },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'filler' } },
        template: { metadata: { labels: { app: 'filler' } }, spec: { containers: [{ name: 'pause', image: 'busybox:1.36', command: ['sleep', '3600'] }] } },
      },
    },
  ];
}

async function readyPods(namespace: string): Promise<number> {
  const pods = await bench.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace });
  return pods.filter((p) => JSON.stringify(p.status).includes('"type":"Ready","status":"True"')).length;
}

async function until(what: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await what()); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('a cluster out of room', () => {
  it('learner Pods the scheduler cannot place ("Too many pods"): error, not fail, and says why', async () => {
    const exercise = bench.exercise('clusterip-basics');
    // Both workers full before the learner applies anything.
    for (const obj of filler('filler-a', 8)) await bench.admin.create(obj);
    await until(async () => (await readyPods('filler-a')) === 8);
    const ns = await bench.environment('full', exercise.setup, exercise.solution);
    const outcome = await bench.grade(exercise, ns);
    expect(outcome.status, summary(outcome)).toBe('error');
    expect(outcome.checks.filter((c) => c.status === 'fail'), summary(outcome)).toEqual([]);
    const told = outcome.checks.filter((c) => c.status === 'error' && c.message.startsWith('Not graded: the cluster has no room for your Pods right now'));
    expect(told.length, summary(outcome)).toBeGreaterThan(0);
    expect(told[0]!.message).toContain('Too many pods');
    expect(told[0]!.message).toContain('This is not your mistake');
    await bench.admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'filler-a' });
  });
});
