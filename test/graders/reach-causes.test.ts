// The http, tcp, affinity and local-traffic checks name the cause of a fail (issue 13),
// each produced here from a learner mistake: the exercises' own mistakes where one
// exists, else a solution with the one edit a learner would make. Each fail carries the
// exercise's hint for that cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hintFor } from '../../graders/engine.ts';
import type { Exercise, Manifest } from '../../server/catalog/loader.ts';
import { summary, startGraderBench, type GraderBench } from './harness.ts';

let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(53);
});
afterAll(async () => bench?.close());

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

/** The manifests with one object edited (a deep copy: the catalog's stay as loaded). */
function edit(manifests: readonly Manifest[], kind: string, name: string, change: (o: Obj) => void): Manifest[] {
  const copy = structuredClone(manifests) as Manifest[];
  const target = copy.find((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (!target) throw new Error(`no ${kind} ${name}`);
  change(target.object as Obj);
  return copy;
}

const manifest = (object: Obj): Manifest => ({ file: 'test.yaml', object: object as Manifest['object'] });

/** The exercise with only these checks, their `needs` dropped: the check is graded even where it would be skipped. */
function only(exercise: Exercise, ...ids: string[]): Exercise {
  return { ...exercise, checks: exercise.checks.filter((c) => ids.includes(c.id)).map((c) => ({ ...c, needs: [] })) };
}

async function gradeCheck(name: string, exercise: Exercise, manifests: Manifest[], checkId: string) {
  const ns = await bench.environment(name, exercise.setup, manifests);
  const outcome = await bench.grade(exercise, ns);
  const check = outcome.checks.find((c) => c.id === checkId)!;
  expect(check.status, summary(outcome)).toBe('fail');
  const declared = exercise.checks.find((c) => c.id === checkId)!;
  // The hint is the one written for the cause (the default only when none is written).
  expect(check.hint).toBe(hintFor(declared, check.cause ?? undefined));
  return check;
}

const mistake = (exercise: Exercise, name: string): Manifest[] => exercise.mistakes.find((m) => m.name === name)!.manifests;

describe('http and tcp: why the request did not get through', () => {
  it.each([
    ['target-port', 'no-listen-flag', 'http', 'wrong-target-port', /refused.*nothing in them listens on targetPort/],
    ['multi-port', 'exporter-listens-elsewhere', 'http-metrics', 'wrong-target-port', /refused/],
    ['multi-port', 'http-port-80', 'http-nginx', 'wrong-port', /exposes 80, 9090, not 8080/],
    ['target-port', 'wrong-text', 'http', 'wrong-body', /hello from api/],
  ])('%s/%s: %s fails with cause %s', async (exerciseId, mistakeName, checkId, cause, message) => {
    const exercise = bench.exercise(exerciseId);
    const check = await gradeCheck(`${exerciseId}-${mistakeName}`, exercise, mistake(exercise, mistakeName), checkId);
    expect(check.cause).toBe(cause);
    expect(check.message).toMatch(message);
  });

  it('clusterip-basics with the Service named backend-svc: no Service of the name the probe asks for', async () => {
    const exercise = bench.exercise('clusterip-basics');
    const renamed = edit(exercise.solution, 'Service', 'backend-service', (o) => { o.metadata['name'] = 'backend-svc'; });
    const check = await gradeCheck('reach-renamed', only(exercise, 'http'), renamed, 'http');
    expect(check.cause).toBe('no-service');
    expect(check.message).toContain('no Service named backend-service');
    expect(check.hint).toContain('exactly that');
  });

  it('clusterip-basics with a selector typo: refused because the Service has no ready endpoints', async () => {
    const exercise = bench.exercise('clusterip-basics');
    const check = await gradeCheck('reach-typo', only(exercise, 'http'), mistake(exercise, 'selector-typo'), 'http');
    expect(check.cause).toBe('no-endpoints');
    expect(check.message).toMatch(/refused.*has no ready endpoints/);
  });

  it('three-tier-shop with internalTrafficPolicy Local copied onto backend-svc and the frontend on a node without a backend: dropped', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const pin = (node: string) => (o: Obj) => {
      const spec = (o['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
      spec['nodeSelector'] = { 'kubernetes.io/hostname': node };
    };
    let manifests = edit(exercise.solution, 'Service', 'backend-svc', (o) => { (o['spec'] as Record<string, unknown>)['internalTrafficPolicy'] = 'Local'; });
    manifests = edit(manifests, 'Deployment', 'backend-deployment', pin('kind-worker'));
    manifests = edit(manifests, 'Deployment', 'frontend-deployment', pin('kind-worker2'));
    const check = await gradeCheck('reach-local', only(exercise, 'backend-http'), manifests, 'backend-http');
    expect(check.cause).toBe('local-policy');
    expect(check.message).toMatch(/no answer within .*internalTrafficPolicy: Local/);
    expect(check.hint).toContain('remove it');
  });

  it('three-tier-shop with an egress NetworkPolicy on the frontend that allows DNS and the backend on the Service port 8080 (the Pods listen on 80): dropped by the policy', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const policy = manifest({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'frontend-egress' },
      spec: {
        podSelector: { matchLabels: { app: 'shop', tier: 'frontend' } },
        policyTypes: ['Egress'],
        egress: [
          { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
          { to: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ port: 8080 }] },
        ],
      },
    });
    const check = await gradeCheck('reach-netpol', only(exercise, 'backend-http'), [...exercise.solution, policy], 'backend-http');
    expect(check.cause).toBe('network-policy');
    expect(check.message).toContain('NetworkPolicy frontend-egress');
  });

  it('three-tier-shop with an egress NetworkPolicy that forgets DNS: the name does not resolve although the Service exists', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const policy = manifest({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'frontend-to-backend-only' },
      spec: { podSelector: { matchLabels: { tier: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { tier: 'backend' } } }] }] },
    });
    const check = await gradeCheck('reach-nodns', only(exercise, 'backend-http'), [...exercise.solution, policy], 'backend-http');
    expect(check.cause).toBe('network-policy');
    expect(check.message).toMatch(/Resolving timed out.*Service backend-svc exists.*frontend-to-backend-only.*port 53/);
  });

  it('three-tier-shop with database-svc targeting 5433: tcp refused, nothing listens on the targetPort', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const wrong = edit(exercise.solution, 'Service', 'database-svc', (o) => {
      for (const p of (o['spec'] as { ports: Record<string, unknown>[] }).ports) p['targetPort'] = 5433;
    });
    const check = await gradeCheck('reach-tcp', only(exercise, 'database-tcp'), wrong, 'database-tcp');
    expect(check.cause).toBe('wrong-target-port');
    expect(check.message).toContain('targetPort 5433');
  });
});

describe('affinity: why one client reached several Pods', () => {
  it('session-affinity with ClientIP on a second Service: the one the clients use has none', async () => {
    const exercise = bench.exercise('session-affinity');
    const check = await gradeCheck('aff-second', exercise, mistake(exercise, 'affinity-on-second-service'), 'sticky');
    expect(check.cause).toBe('no-affinity');
    expect(check.message).toContain('has sessionAffinity None');
  });

  it('session-affinity with timeoutSeconds 5: too short to be stickiness', async () => {
    const exercise = bench.exercise('session-affinity');
    const check = await gradeCheck('aff-timeout', exercise, mistake(exercise, 'affinity-timeout-too-short'), 'sticky');
    expect(check.cause).toBe('short-timeout');
    expect(check.message).toContain('only 5 s');
  });

  it('session-affinity with one replica: one ready endpoint cannot show stickiness', async () => {
    const exercise = bench.exercise('session-affinity');
    const one = edit(exercise.solution, 'Deployment', 'backend-affinity', (o) => { (o['spec'] as Record<string, unknown>)['replicas'] = 1; });
    const check = await gradeCheck('aff-one', only(exercise, 'sticky'), one, 'sticky');
    expect(check.cause).toBe('one-endpoint');
    expect(check.message).toContain('1 ready endpoint');
  });
});

describe('local-traffic: why answers crossed nodes or never came', () => {
  it.each([
    ['policy-on-second-service', 'no-policy', /has internalTrafficPolicy Cluster/],
    ['static-text', 'no-pod-name', /does not name a local-backend Pod/],
  ])('local-traffic/%s: cause %s', async (mistakeName, cause, message) => {
    const exercise = bench.exercise('local-traffic');
    const check = await gradeCheck(`lt-${mistakeName}`, exercise, mistake(exercise, mistakeName), 'node-local');
    expect(check.cause).toBe(cause);
    expect(check.message).toMatch(message);
  });

  it('local-traffic with a selector typo: the nodes running local-backend have no local endpoint', async () => {
    const exercise = bench.exercise('local-traffic');
    const check = await gradeCheck('lt-typo', only(exercise, 'node-local'), mistake(exercise, 'selector-typo'), 'node-local');
    expect(check.cause).toBe('no-local-endpoint');
    expect(check.message).toMatch(/not a ready endpoint of Service local-traffic-svc/);
  });
});
