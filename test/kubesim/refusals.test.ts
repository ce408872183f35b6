// What real kubectl prints when the cluster says no: a ServiceAccount token bound
// to a namespaced Role used elsewhere (403 Forbidden), can-i answers and exit
// codes, and invalid manifests refused with the apiserver's validation messages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 41 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

async function namespace(): Promise<string> {
  const ns = `refuse-${++n}`;
  expect((await k('create', 'namespace', ns)).stdout).toBe(`namespace/${ns} created`);
  return ns;
}

describe('a ServiceAccount token bound to a namespaced Role', () => {
  it('works in its namespace and is Forbidden in another', async () => {
    const home = await namespace();
    const other = await namespace();
    expect((await k('-n', home, 'create', 'serviceaccount', 'grader')).stdout).toBe('serviceaccount/grader created');
    expect((await k('-n', home, 'create', 'role', 'svc-reader', '--verb=get,list,watch', '--resource=services,pods')).stdout)
      .toBe('role.rbac.authorization.k8s.io/svc-reader created');
    expect((await k('-n', home, 'create', 'rolebinding', 'grader-reads', '--role=svc-reader', `--serviceaccount=${home}:grader`)).stdout)
      .toBe('rolebinding.rbac.authorization.k8s.io/grader-reads created');
    const token = await k('-n', home, 'create', 'token', 'grader', '--duration=10m');
    expect(token.exitCode).toBe(0);
    expect(token.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const sa = kubectlFor(cluster.kubeconfigFor({ token: token.stdout, namespace: home, name: 'grader' }));
    const user = `system:serviceaccount:${home}:grader`;
    expect(await sa('get', 'services')).toMatchObject({ exitCode: 0, stdout: '', stderr: `No resources found in ${home} namespace.` });
    expect(await sa('-n', other, 'get', 'services')).toMatchObject({
      exitCode: 1,
      stderr: `Error from server (Forbidden): services is forbidden: User "${user}" cannot list resource "services" in API group "" in the namespace "${other}"`,
    });
    expect(await sa('-n', other, 'get', 'pod', 'web')).toMatchObject({
      exitCode: 1,
      stderr: `Error from server (Forbidden): pods "web" is forbidden: User "${user}" cannot get resource "pods" in API group "" in the namespace "${other}"`,
    });
    expect(await sa('get', 'namespaces')).toMatchObject({
      exitCode: 1,
      stderr: `Error from server (Forbidden): namespaces is forbidden: User "${user}" cannot list resource "namespaces" in API group "" at the cluster scope`,
    });

    // can-i: "yes" exits 0, "no" exits 1 — for the token itself and through impersonation.
    expect(await sa('auth', 'can-i', 'list', 'services')).toMatchObject({ exitCode: 0, stdout: 'yes' });
    expect(await sa('auth', 'can-i', 'list', 'services', '-n', other)).toMatchObject({ exitCode: 1, stdout: 'no' });
    expect(await sa('auth', 'can-i', 'delete', 'services')).toMatchObject({ exitCode: 1, stdout: 'no' });
    expect(await k('auth', 'can-i', 'list', 'pods', '-n', home, `--as=${user}`)).toMatchObject({ exitCode: 0, stdout: 'yes' });
    expect(await k('auth', 'can-i', 'list', 'pods', '-n', other, `--as=${user}`)).toMatchObject({ exitCode: 1, stdout: 'no' });
    const whoami = await sa('auth', 'whoami');
    expect(whoami.stdout).toMatch(new RegExp(`^ATTRIBUTE\\s+VALUE\\nUsername\\s+${user}\\nGroups\\s+\\[system:serviceaccounts system:serviceaccounts:${home} system:authenticated\\]$`));
  });

  it('refuses a token request for a missing ServiceAccount', async () => {
    const ns = await namespace();
    expect(await k('-n', ns, 'create', 'token', 'ghost')).toMatchObject({
      exitCode: 1,
      stderr: 'error: failed to create token: serviceaccounts "ghost" not found',
    });
  });
});

describe('invalid manifests through kubectl apply', () => {
  const apply = async (ns: string, yaml: string) => k.withInput(yaml, '-n', ns, 'apply', '-f', '-');

  it('needs a name on every port of a multi-port Service', async () => {
    const ns = await namespace();
    const r = await apply(ns, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}, {port: 9090}]\n');
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: 'The Service "web" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value',
    });
  });

  it('refuses a Deployment whose selector does not match its template', async () => {
    const ns = await namespace();
    const r = await apply(ns, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: frontend}}\n    spec: {containers: [{name: c, image: "nginx:1.28"}]}\n');
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"frontend"}: `selector` does not match template `labels`',
    });
  });

  it('refuses turning a ClusterIP Service headless (clusterIP is immutable)', async () => {
    const ns = await namespace();
    const svc = (extra: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n${extra}  selector: {app: db}\n  ports: [{port: 5432}]\n`;
    expect((await apply(ns, svc(''))).stdout).toBe('service/db created');
    const r = await apply(ns, svc('  clusterIP: None\n'));
    expect(r).toMatchObject({
      exitCode: 1,
      stderr: 'The Service "db" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set',
    });
    expect((await k('-n', ns, 'get', 'svc', 'db', '-o', 'jsonpath={.spec.clusterIP}')).stdout).toMatch(/^10\.\d+\.\d+\.\d+$/);
  });
});
