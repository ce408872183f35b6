// A rollout whose new Pods never become ready is named as such (issue 13): with the
// readiness probe moved to a port nginx does not listen on, the old Pods (still
// failing the setup's probe) and the one new Pod sit side by side, and the learner
// must be told the fix applied and that the new ReplicaSet is what fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkloadSchema } from '../../graders/k8s/schemas.ts';
import { summary, startGraderBench, type GraderBench } from './harness.ts';

let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(41);
});
afterAll(async () => bench?.close());

describe('stuck rollout', () => {
  it('readiness-endpoints with the probe on the wrong port: the rollout is stuck on the new ReplicaSet, whose Pod is refused on 8080', async () => {
    const exercise = bench.exercise('readiness-endpoints');
    const mistake = exercise.mistakes.find((m) => m.name === 'probe-wrong-port')!;
    const ns = await bench.environment('stuck-rollout', exercise.setup, mistake.manifests);
    const outcome = await bench.grade(exercise, ns);
    const replicaSets = (await bench.admin.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns })).map((rs) => WorkloadSchema.parse(rs));
    const newest = replicaSets.find((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '2')!;
    const hash = newest.metadata.labels['pod-template-hash'];
    expect(hash).toBeTruthy();

    const ready = outcome.checks.find((c) => c.id === 'deployment-ready')!;
    expect(ready.status, summary(outcome)).toBe('fail');
    expect(ready.cause).toBe('rollout-stuck');
    expect(ready.message).toContain('rollout of Deployment web is stuck');
    expect(ready.message).toContain(`new ReplicaSet ${newest.metadata.name}`);
    expect(ready.message).toContain(`pod-template-hash=${hash}`);
    expect(ready.message).toMatch(/8080/);
    expect(ready.message).toMatch(/refused/i);
    expect(ready.message).toContain('your change did apply');

    const endpoints = outcome.checks.find((c) => c.id === 'endpoints')!;
    expect(endpoints.status, summary(outcome)).toBe('fail');
    expect(endpoints.cause).toBe('rollout-stuck');
    expect(endpoints.message).toContain(`new ReplicaSet ${newest.metadata.name}`);
    expect(endpoints.hint).toContain('Your change did reach the cluster');
  });
});
