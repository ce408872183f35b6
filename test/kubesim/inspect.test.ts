// Real kubectl reading the embedded cluster: get (wide, yaml, -A, --show-labels,
// -w), describe service, endpoints and EndpointSlices, rollout status, scale,
// delete --wait — asserted on the shapes kubectl prints for a real cluster
// (columns from pkg/printers/internalversion/printers.go, describe from
// kubectl/pkg/describe/describe.go, rollout from polymorphichelpers/rollout_status.go).

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 31 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const rows = (out: string) => out.split('\n').slice(1);

/** A fresh namespace with the backend fixture applied and rolled out; returns it and the Pod IPs. */
async function backend(): Promise<{ ns: string; ips: string[] }> {
  const ns = `inspect-${++n}`;
  await k('create', 'namespace', ns);
  expect((await k('-n', ns, 'apply', '-f', fixture('backend.yaml'))).exitCode).toBe(0);
  expect((await k('-n', ns, 'rollout', 'status', 'deploy/catalog', '--timeout=60s')).exitCode).toBe(0);
  // Endpoints follow Pod readiness through the controllers; wait on kubectl, not on time.
  expect((await k('-n', ns, 'wait', '--for=jsonpath={.subsets[0].addresses[2].ip}', 'endpoints/catalog-svc', '--timeout=60s')).exitCode).toBe(0);
  const ips = (await k('-n', ns, 'get', 'pods', '-l', 'app=catalog', '-o', 'jsonpath={.items[*].status.podIP}')).stdout.split(' ');
  expect(ips).toHaveLength(3);
  return { ns, ips };
}

describe('get', () => {
  it('prints the wide, all-namespaces and labelled column sets', async () => {
    const { ns, ips } = await backend();
    const wide = await k('-n', ns, 'get', 'pods', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    for (const row of rows(wide.stdout)) expect(row).toMatch(/^catalog-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.\d+\.\d+\s+kind-worker2?\s+<none>\s+<none>$/);

    const svc = await k('-n', ns, 'get', 'svc', '-o', 'wide');
    expect(svc.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/);
    expect(rows(svc.stdout)).toEqual([expect.stringMatching(/^catalog-svc\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\s+app=catalog$/)]);

    const all = await k('get', 'pods', '-A');
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(all.stdout).toMatch(new RegExp(`^${ns}\\s+catalog-\\S+\\s+1/1\\s+Running`, 'm'));
    expect(all.stdout).toMatch(/^kube-system\s+coredns-\S+\s+1\/1\s+Running/m);

    const labelled = await k('-n', ns, 'get', 'pods', '--show-labels');
    expect(labelled.stdout.split('\n')[0]).toMatch(/\s+LABELS$/);
    for (const row of rows(labelled.stdout)) expect(row).toMatch(/\sapp=catalog,pod-template-hash=[a-z0-9]+$/);

    const yaml = await k('-n', ns, 'get', 'svc', 'catalog-svc', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^ {2}clusterIP: 10\.\d+\.\d+\.\d+$/m);
    expect(yaml.stdout).toContain('  sessionAffinity: None\n');
    expect(yaml.stdout).toMatch(/^ {2}- port: 80\n {4}protocol: TCP\n {4}targetPort: 80$/m);
    expect(ips.every((ip) => /^10\.244\.\d+\.\d+$/.test(ip))).toBe(true);
  });

  it('shows endpoints and EndpointSlices with real columns', async () => {
    const { ns, ips } = await backend();
    const ep = await k('-n', ns, 'get', 'endpoints');
    expect(ep.stdout.split('\n')[0]).toMatch(/^NAME\s+ENDPOINTS\s+AGE$/);
    const epRow = /^catalog-svc\s+(\S+)\s+\d+s$/.exec(rows(ep.stdout)[0] ?? '');
    expect(epRow?.[1]?.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`).sort());

    const slices = await k('-n', ns, 'get', 'endpointslices');
    expect(slices.stdout.split('\n')[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
    const sliceRow = /^catalog-svc-[a-z0-9]{5}\s+IPv4\s+80\s+(\S+)\s+\d+s$/.exec(rows(slices.stdout)[0] ?? '');
    expect(sliceRow?.[1]?.split(',').sort()).toEqual([...ips].sort());
  });

  it('streams -w updates until stopped', async () => {
    const { ns } = await backend();
    const watch = k.spawn('-n', ns, 'get', 'deploy', 'catalog', '-w');
    try {
      await watch.waitFor('3/3');
      expect((await k('-n', ns, 'scale', 'deploy/catalog', '--replicas=4')).stdout).toBe('deployment.apps/catalog scaled');
      const seen = await watch.waitFor('4/4');
      expect(seen.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
      expect(seen).toMatch(/^catalog\s+4\/4\s+4\s+4\s+\d+s$/m);
    } finally {
      await watch.stop();
    }
  });
});

describe('describe service', () => {
  it('shows selector, ports, the Pod endpoints, affinity and events', async () => {
    const { ns, ips } = await backend();
    const d = await k('-n', ns, 'describe', 'service', 'catalog-svc');
    expect(d.exitCode).toBe(0);
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(d.stdout)?.[1];
    expect(field('Name')).toBe('catalog-svc');
    expect(field('Namespace')).toBe(ns);
    expect(field('Selector')).toBe('app=catalog');
    expect(field('Type')).toBe('ClusterIP');
    expect(field('IP')).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(field('Port')).toBe('<unset>  80/TCP');
    expect(field('TargetPort')).toBe('80/TCP');
    expect(field('Endpoints')?.split(',').sort()).toEqual(ips.map((ip) => `${ip}:80`).sort());
    expect(field('Session Affinity')).toBe('None');
    expect(field('Events')).toBe('<none>');

    // describe finds a Service's events by involvedObject (name, namespace, kind, uid).
    const uid = (await k('-n', ns, 'get', 'svc', 'catalog-svc', '-o', 'jsonpath={.metadata.uid}')).stdout;
    const event = `apiVersion: v1\nkind: Event\nmetadata: {name: catalog-svc.note}\ntype: Normal\nreason: Noted\nmessage: checked by the lab\nsource: {component: lab}\ninvolvedObject: {apiVersion: v1, kind: Service, name: catalog-svc, namespace: ${ns}, uid: ${uid}}\n`;
    expect((await k.withInput(event, '-n', ns, 'create', '-f', '-')).exitCode).toBe(0);
    const withEvents = await k('-n', ns, 'describe', 'service', 'catalog-svc');
    expect(withEvents.stdout).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+----\s+------\s+----\s+----\s+-------\n\s+Normal\s+Noted\s+\S+\s+lab\s+checked by the lab$/m);
  });

  it('shows ClientIP affinity and named target ports', async () => {
    const ns = `inspect-${++n}`;
    await k('create', 'namespace', ns);
    await k('-n', ns, 'apply', '-f', fixture('affinity.yaml'));
    expect((await k('-n', ns, 'rollout', 'status', 'deploy/cart', '--timeout=60s')).exitCode).toBe(0);
    const d = await k('-n', ns, 'describe', 'svc', 'cart');
    expect(d.stdout).toMatch(/^TargetPort:\s+echo\/TCP$/m);
    expect(d.stdout).toMatch(/^Session Affinity:\s+ClientIP$/m);
  });
});

describe('rollout, scale and delete', () => {
  it('scales a Deployment and its Pods follow; delete --wait removes it', async () => {
    const { ns } = await backend();
    expect((await k('-n', ns, 'scale', 'deployment', 'catalog', '--replicas=5')).stdout).toBe('deployment.apps/catalog scaled');
    expect((await k('-n', ns, 'rollout', 'status', 'deployment/catalog', '--timeout=60s')).stdout).toContain('deployment "catalog" successfully rolled out');
    expect((await k('-n', ns, 'get', 'pods', '-l', 'app=catalog', '--no-headers')).stdout.split('\n')).toHaveLength(5);

    const del = await k('-n', ns, 'delete', 'deployment', 'catalog', '--wait', '--timeout=60s');
    expect(del).toMatchObject({ exitCode: 0, stdout: 'deployment.apps "catalog" deleted' });
    const again = await k('-n', ns, 'delete', 'deployment', 'catalog');
    expect(again).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "catalog" not found' });
  });

  it('reports a StatefulSet without rollingUpdate at its revision, and scales it down from the top', async () => {
    const ns = `inspect-${++n}`;
    await k('create', 'namespace', ns);
    const sts = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: vault}\nspec:\n  serviceName: vault\n  replicas: 3\n  updateStrategy: {type: RollingUpdate}\n  selector: {matchLabels: {app: vault}}\n  template:\n    metadata: {labels: {app: vault}}\n    spec: {containers: [{name: c, image: "nginx:1.28"}]}\n`;
    expect((await k('-n', ns, 'apply', '-f', manifest(join(k.dir, `${ns}.yaml`), sts))).stdout).toBe('statefulset.apps/vault created');
    const r = await k('-n', ns, 'rollout', 'status', 'statefulset/vault', '--timeout=60s');
    expect(r.exitCode).toBe(0);
    const revision = (await k('-n', ns, 'get', 'sts', 'vault', '-o', 'jsonpath={.status.currentRevision}')).stdout;
    expect(revision).toMatch(/^vault-[a-z0-9]+$/);
    expect(r.stdout).toContain(`statefulset rolling update complete 3 pods at revision ${revision}...`);

    expect((await k('-n', ns, 'scale', 'sts', 'vault', '--replicas=1')).stdout).toBe('statefulset.apps/vault scaled');
    expect((await k('-n', ns, 'wait', '--for=jsonpath={.status.replicas}=1', 'sts/vault', '--timeout=60s')).exitCode).toBe(0);
    expect((await k('-n', ns, 'wait', '--for=delete', 'pod/vault-1', 'pod/vault-2', '--timeout=60s')).exitCode).toBe(0);
    expect((await k('-n', ns, 'get', 'pods', '-o', 'name')).stdout).toBe('pod/vault-0');
  });

  it('types a generic Secret as Opaque', async () => {
    const ns = `inspect-${++n}`;
    await k('create', 'namespace', ns);
    expect((await k('-n', ns, 'create', 'secret', 'generic', 'db', '--from-literal=password=x')).stdout).toBe('secret/db created');
    const get = await k('-n', ns, 'get', 'secret', 'db');
    expect(get.stdout).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\ndb\s+Opaque\s+1\s+\d+s$/);
  });
});
