// deploy/kubernetes against the embedded cluster with the real kubectl: a server-side
// dry run, a real apply, and then kubelab itself running as the manifests' ServiceAccount
// (its token file, the mounted-CA kubeconfig) to prove the ClusterRole is enough to
// provision an environment, apply a learner's work and grade it — the embedded cluster
// refuses RBAC escalation as Kubernetes does, so a missing rule fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GradingEngine } from '../../graders/engine.ts';
import { connectCluster, type ConnectedCluster } from '../../server/cluster/connect.ts';
import { kubectlFor, type Kubectl } from '../kubesim/kubectl.ts';
import { SIM_TIMING } from '../graders/harness.ts';
import { startHarness, type Harness } from './harness.ts';

const DEPLOY = new URL('../../deploy/kubernetes/', import.meta.url).pathname;
const SA = 'system:serviceaccount:kubelab-system:kubelab';

let h: Harness;
let kubectl: Kubectl;
let dir: string;
/** What kubectl printed for the dry run, whether it created anything, and the real apply. */
let dryRun: string;
let afterDryRun: string;
let applied: string;
beforeAll(async () => {
  h = await startHarness();
  kubectl = kubectlFor(h.sim.kubeconfig);
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-k8s-deploy-'));
  // A dry run cannot create the namespace its other objects go into: make it first, as the README says.
  await ok('apply', '-f', path.join(DEPLOY, 'namespace.yaml'));
  dryRun = await ok('apply', '-k', DEPLOY, '--dry-run=server');
  afterDryRun = (await kubectl('get', 'deployment', 'kubelab', '-n', 'kubelab-system')).stderr;
  applied = await ok('apply', '-k', DEPLOY);
});
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ok = async (...args: string[]) => {
  const r = await kubectl(...args);
  expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
};

const Deployment = z.object({
  spec: z.object({
    replicas: z.number(),
    strategy: z.object({ type: z.string() }),
    template: z.object({
      spec: z.object({
        serviceAccountName: z.string(),
        securityContext: z.object({ runAsNonRoot: z.boolean() }),
        containers: z.array(
          z.object({
            livenessProbe: z.object({ httpGet: z.object({ path: z.string() }) }),
            readinessProbe: z.object({ httpGet: z.object({ path: z.string() }) }),
            resources: z.object({ requests: z.record(z.string(), z.string()), limits: z.record(z.string(), z.string()) }),
            env: z.array(z.object({ name: z.string(), value: z.string().optional() })),
          }),
        ),
        volumes: z.array(z.object({ name: z.string(), persistentVolumeClaim: z.object({ claimName: z.string() }).optional() })),
      }),
    }),
  }),
});

describe('kubelab on Kubernetes (deploy/kubernetes)', () => {
  it('passes a server-side dry run, applies, and declares one replica with probes, resources and a data volume', async () => {
    for (const object of ['serviceaccount/kubelab', 'clusterrole.rbac.authorization.k8s.io/kubelab', 'clusterrolebinding.rbac.authorization.k8s.io/kubelab',
      'configmap/kubelab-settings', 'configmap/kubelab-kubeconfig', 'persistentvolumeclaim/kubelab-data', 'deployment.apps/kubelab', 'service/kubelab']) {
      expect(dryRun).toContain(`${object} created (server dry run)`);
    }
    expect(afterDryRun).toContain('not found');
    expect(applied).toContain('deployment.apps/kubelab created');
    const deployment = Deployment.parse(JSON.parse(await ok('get', 'deployment', 'kubelab', '-n', 'kubelab-system', '-o', 'json')));
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('kubelab');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    expect(container?.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container?.readinessProbe.httpGet.path).toBe('/readyz');
    expect(Object.keys(container?.resources.limits ?? {})).toEqual(expect.arrayContaining(['cpu', 'memory']));
    expect(container?.env).toEqual(expect.arrayContaining([{ name: 'KUBECONFIG', value: '/etc/kubelab/kubeconfig' }]));
    expect(pod.volumes.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe('kubelab-data');
    expect(await ok('get', 'pvc', 'kubelab-data', '-n', 'kubelab-system', '-o', 'jsonpath={.status.phase}')).toBe('Pending');
  });

  it('its ServiceAccount holds what kubelab needs and nothing it does not', async () => {
    const can = async (...args: string[]) => (await kubectl('auth', 'can-i', ...args, `--as=${SA}`)).stdout.trim();
    expect(await can('create', 'namespaces')).toBe('yes');
    expect(await can('create', 'pods/exec', '-n', 'any-learner')).toBe('yes');
    expect(await can('create', 'serviceaccounts/token', '-n', 'any-learner')).toBe('yes');
    expect(await can('get', 'secrets', '-n', 'any-learner')).toBe('no');
    expect(await can('delete', 'clusterroles')).toBe('no');
    expect(await can('create', 'validatingwebhookconfigurations.admissionregistration.k8s.io')).toBe('no');
  });

  describe('kubelab running as that ServiceAccount', () => {
    let cluster: ConnectedCluster;
    beforeAll(async () => {
      // What the Pod sees: the token file the kubelet mounts, the cluster CA, and the
      // kubeconfig from the ConfigMap, with the in-cluster address swapped for the test's.
      const tokenFile = path.join(dir, 'token');
      writeFileSync(tokenFile, (await ok('create', 'token', 'kubelab', '-n', 'kubelab-system')).trim());
      const caFile = path.join(dir, 'ca.crt');
      writeFileSync(caFile, h.sim.caCert);
      const configMap = z.object({ data: z.object({ kubeconfig: z.string() }) }).parse(parse(readFileSync(path.join(DEPLOY, 'kubeconfig.yaml'), 'utf8')));
      const kubeconfig = configMap.data.kubeconfig
        .replace('https://kubernetes.default.svc', h.admin.server.url)
        .replace('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', caFile)
        .replace('/var/run/secrets/kubernetes.io/serviceaccount/token', tokenFile);
      const file = path.join(dir, 'kubeconfig');
      writeFileSync(file, kubeconfig);
      cluster = await connectCluster({ mode: 'kubeconfig', kubeconfig: file });
    });
    afterAll(async () => cluster?.close());

    it('provisions an environment, applies the learner solution, grades it passed, and deletes it', async () => {
      const service = h.service({ cluster: cluster.client });
      const learner = h.learner('in-cluster');
      const { environment } = await service.ensure(learner, 'clusterip-basics');
      expect(environment.status).toBe('ready');

      const exercise = h.catalog.byId('clusterip-basics')!;
      const results = await service.apply(learner, exercise.id, exercise.solution.map((m) => stringify(m.object)).join('---\n'));
      expect(results.filter((r) => r.action === 'failed')).toEqual([]);

      const engine = new GradingEngine({ client: cluster.client, kubeconfig: cluster.kubeconfig, timing: SIM_TIMING });
      const outcome = await engine.grade({ exercise, namespace: environment.namespace });
      expect(outcome.checks.map((c) => `${c.id}: ${c.status} ${c.message}`).filter((line) => !/: pass /.test(line))).toEqual([]);

      await service.remove(learner, exercise.id);
    });

    it('cannot grant what it does not hold: a Role with Secrets is refused as RBAC escalation', async () => {
      const namespace = 'escalation-check';
      await ok('create', 'namespace', namespace);
      const err = await cluster.client
        .create({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'too-much', namespace },
          rules: [{ apiGroups: [''], resources: ['secrets', 'pods'], verbs: ['get', 'list'] }],
        })
        .catch((e: unknown) => e);
      expect(String(err)).toContain(
        `roles.rbac.authorization.k8s.io "too-much" is forbidden: user "${SA}" (groups=["system:serviceaccounts" "system:serviceaccounts:kubelab-system" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`,
      );
    });
  });
});
