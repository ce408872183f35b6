// Pod Security admission through real kubectl: enforce refuses Pods with the
// apiserver's message, warn answers with Warning headers kubectl prints, workloads
// are admitted (warned) and their Pods refused at creation, namespace labels are
// validated, and Pod updates are re-checked only when the spec really changed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 17 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

const PSA = 'pod-security.kubernetes.io';

/** A namespace with these Pod Security labels (`enforce=baseline`, `warn=restricted`, …). */
async function namespace(labels: Record<string, string>): Promise<string> {
  const ns = `psa-${++n}`;
  const lines = Object.entries(labels).map(([mode, level]) => `    ${PSA}/${mode}: ${level}`);
  const r = await k.withInput(['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${ns}`, '  labels:', ...lines].join('\n'), 'create', '-f', '-');
  expect(r).toMatchObject({ exitCode: 0, stdout: `namespace/${ns} created` });
  return ns;
}

const restrictedNginx = (name: string) => 'Warning: would violate PodSecurity "restricted:latest": '
  + `allowPrivilegeEscalation != false (container "${name}" must set securityContext.allowPrivilegeEscalation=false), `
  + `unrestricted capabilities (container "${name}" must set securityContext.capabilities.drop=["ALL"]), `
  + `runAsNonRoot != true (pod or container "${name}" must set securityContext.runAsNonRoot=true), `
  + `seccompProfile (pod or container "${name}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;

describe('enforce', () => {
  it('refuses a hostNetwork, privileged Pod with the apiserver message', async () => {
    const ns = await namespace({ enforce: 'baseline' });
    const overrides = JSON.stringify({ spec: { hostNetwork: true, containers: [{ name: 'x', image: 'nginx', securityContext: { privileged: true } }] } });
    expect(await k('-n', ns, 'run', 'x', '--image=nginx', `--overrides=${overrides}`)).toMatchObject({
      exitCode: 1,
      stderr: 'Error from server (Forbidden): pods "x" is forbidden: violates PodSecurity "baseline:latest": '
        + 'host namespaces (hostNetwork=true), privileged (container "x" must not set securityContext.privileged=true)',
    });
    expect(await k('-n', ns, 'run', 'ok', '--image=nginx')).toMatchObject({ exitCode: 0, stdout: 'pod/ok created', stderr: '' });
  });

  it('admits a Deployment with a privileged template with a warning, then refuses its Pods (FailedCreate)', async () => {
    const ns = await namespace({ enforce: 'baseline', warn: 'baseline' });
    const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: priv
spec:
  replicas: 1
  selector:
    matchLabels: {app: priv}
  template:
    metadata:
      labels: {app: priv}
    spec:
      containers:
      - name: app
        image: nginx
        securityContext: {privileged: true}
`;
    const created = await k.withInput(deploy, '-n', ns, 'create', '-f', '-');
    expect(created).toMatchObject({
      exitCode: 0,
      stdout: 'deployment.apps/priv created',
      stderr: 'Warning: would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
    });
    const wait = await k('-n', ns, 'wait', '--for=condition=ReplicaFailure', 'rs', '-l', 'app=priv', '--timeout=60s');
    expect(wait.exitCode).toBe(0);
    const events = JSON.parse((await k('-n', ns, 'get', 'events', '-o', 'json')).stdout) as { items: { reason: string; message: string }[] };
    const failed = events.items.filter((e) => e.reason === 'FailedCreate').map((e) => e.message);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]).toMatch(/^Error creating: pods "priv-[a-z0-9]+-[a-z0-9]{5}" is forbidden: violates PodSecurity "baseline:latest": privileged \(container "app" must not set securityContext\.privileged=true\)$/);
    expect(await k('-n', ns, 'get', 'pods')).toMatchObject({ exitCode: 0, stdout: '', stderr: `No resources found in ${ns} namespace.` });
  });

  it('re-checks a Pod update only when the spec changed', async () => {
    const ns = await namespace({});
    const overrides = JSON.stringify({ spec: { containers: [{ name: 'p', image: 'nginx', securityContext: { privileged: true } }] } });
    expect((await k('-n', ns, 'run', 'p', '--image=nginx', `--overrides=${overrides}`)).stdout).toBe('pod/p created');
    const labelled = await k('label', 'namespace', ns, `${PSA}/enforce=baseline`);
    expect(labelled).toMatchObject({
      exitCode: 0,
      stdout: `namespace/${ns} labeled`,
      stderr: [
        `Warning: existing pods in namespace "${ns}" violate the new PodSecurity enforce level "baseline:latest"`,
        'Warning: p: privileged',
      ].join('\n'),
    });
    expect(await k('-n', ns, 'label', 'pod', 'p', 'tier=web')).toMatchObject({ exitCode: 0, stdout: 'pod/p labeled' });
    expect(await k('-n', ns, 'set', 'image', 'pod/p', 'p=nginx:1.27')).toMatchObject({
      exitCode: 1,
      stderr: 'error: failed to patch image update to pod template: pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "p" must not set securityContext.privileged=true)',
    });
  });
});

describe('warn', () => {
  it('prints the restricted warnings for an nginx Pod and creates it', async () => {
    const ns = await namespace({ warn: 'restricted' });
    expect(await k('-n', ns, 'run', 'web', '--image=nginx')).toMatchObject({ exitCode: 0, stdout: 'pod/web created', stderr: restrictedNginx('web') });
    expect((await k('-n', ns, 'get', 'pod', 'web', '-o', 'name')).stdout).toBe('pod/web');
  });

  it('does not warn under enforce alone, nor for a compliant Pod', async () => {
    const ns = await namespace({ enforce: 'baseline', 'enforce-version': 'v1.32' });
    expect(await k('-n', ns, 'create', 'deployment', 'web', '--image=nginx')).toMatchObject({ exitCode: 0, stderr: '' });
    const hardened = JSON.stringify({
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'h', image: 'nginxinc/nginx-unprivileged', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      },
    });
    const strict = await namespace({ warn: 'restricted' });
    expect(await k('-n', strict, 'run', 'h', '--image=nginxinc/nginx-unprivileged', `--overrides=${hardened}`)).toMatchObject({ exitCode: 0, stderr: '' });
  });
});

describe('namespace labels', () => {
  it('refuses an unknown level or version as the real plugin does', async () => {
    const r = await k.withInput(`apiVersion: v1
kind: Namespace
metadata:
  name: psa-bad
  labels:
    ${PSA}/enforce: strict
    ${PSA}/warn-version: "1.30"
`, 'create', '-f', '-');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('The Namespace "psa-bad" is invalid: \n'
      + `* metadata.labels[${PSA}/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n`
      + `* metadata.labels[${PSA}/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"`);
  });
});
