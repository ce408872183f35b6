// The workspace image's kubectl is the real kubectl, with the Pod's ServiceAccount
// token (its in-cluster config): RBAC is the learner's, output is kubectl's own, and
// nothing reaches outside the lab (other servers, host files, plugins).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { checkKubectlArgs } from '../../kubesim/runtime/commands/kubectl.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;
const ns = 'lab';

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  serviceAccountName: learner
${extra}  containers:
    - name: shell
      image: kubelab/workspace:0.1.0
`;

beforeAll(async () => {
  cluster = await startCluster({ seed: 45 });
  k = kubectlFor(cluster.kubeconfig);
  await k('create', 'namespace', ns);
  await k('-n', ns, 'create', 'serviceaccount', 'learner');
  await k('-n', ns, 'create', 'role', 'learner', '--verb=get,list,create,delete', '--resource=pods,configmaps');
  await k('-n', ns, 'create', 'rolebinding', 'learner', '--role=learner', `--serviceaccount=${ns}:learner`);
  expect((await k.withInput(pod('workspace'), 'apply', '-f', '-')).exitCode).toBe(0);
  expect((await k.withInput(pod('no-token', '  automountServiceAccountToken: false\n'), 'apply', '-f', '-')).exitCode).toBe(0);
  for (const name of ['workspace', 'no-token']) {
    expect((await k('-n', ns, 'wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s')).exitCode).toBe(0);
  }
});
afterAll(async () => cluster?.close());

const inWorkspace = (...args: string[]) => k('-n', ns, 'exec', 'workspace', '--', ...args);

describe('kubectl in the workspace image', () => {
  it('lists the namespace with the real kubectl, as the Pod ServiceAccount, in the Pod namespace', async () => {
    const r = await inWorkspace('kubectl', 'get', 'pods');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(r.stdout).toMatch(/\nworkspace\s+1\/1\s+Running\s+0\s+\d+s/);
    const whoami = await inWorkspace('kubectl', 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(whoami.stdout).toBe(`system:serviceaccount:${ns}:learner`);
    const secrets = await inWorkspace('kubectl', 'get', 'secrets');
    expect(secrets.exitCode).toBe(1);
    expect(secrets.stderr).toContain(`User "system:serviceaccount:${ns}:learner" cannot list resource "secrets" in API group "" in the namespace "${ns}"`);
  });

  it('applies a file written in the container, and stdin', async () => {
    const written = await inWorkspace('sh', '-c', `printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-file\\ndata:\\n  a: b\\n' > /tmp/cm.yaml && kubectl apply -f /tmp/cm.yaml`);
    expect(written.stdout).toBe('configmap/from-file created');
    const missing = await inWorkspace('kubectl', 'apply', '-f', 'nope.yaml');
    expect(missing.stderr).toContain('error: the path "nope.yaml" does not exist');
    const piped = await k.withInput('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n', '-n', ns, 'exec', '-i', 'workspace', '--', 'kubectl', 'apply', '-f', '-');
    expect(piped.stdout).toBe('configmap/from-stdin created');
  });

  it('refuses what would reach outside the lab', async () => {
    const server = await inWorkspace('kubectl', '--server=http://169.254.169.254', 'get', 'pods');
    expect(server.exitCode).toBe(1);
    expect(server.stderr).toContain('--server is not available in this workspace');
    expect((await inWorkspace('kubectl', 'cp', 'a', 'b')).stderr).toContain('"cp" is not available in this workspace');
    expect((await inWorkspace('kubectl', 'create', 'configmap', 'x', '--from-file=/etc/passwd')).stderr).toContain('--from-file is not available');
  });

  it('without a mounted token it cannot find the API, as a real Pod', async () => {
    const r = await k('-n', ns, 'exec', 'no-token', '--', 'kubectl', 'get', 'pods');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('The connection to the server localhost:8080 was refused');
  });
});

describe('checkKubectlArgs', () => {
  it('keeps global flags with values before the command, and refuses a flag that hides the command', () => {
    expect(checkKubectlArgs(['-n', 'get', 'get', 'pods'])).toEqual({ ok: true, args: ['-n', 'get', 'get', 'pods'], files: [] });
    expect(checkKubectlArgs(['-n', 'proxy', 'proxy'])).toMatchObject({ ok: false });
    expect(checkKubectlArgs(['--unknown', 'get', 'pods'])).toMatchObject({ ok: false });
    expect(checkKubectlArgs(['get', 'pods', '-o', 'go-template-file=/etc/passwd'])).toMatchObject({ ok: false });
    expect(checkKubectlArgs(['apply', '-f', 'a.yaml', '--filename=b.yaml', '-fc.yaml'])).toEqual({ ok: true, args: ['apply'], files: ['a.yaml', 'b.yaml', 'c.yaml'] });
    expect(checkKubectlArgs(['exec', 'p', '--', 'kubectl', '--server=x'])).toEqual({ ok: true, args: ['exec', 'p', '--', 'kubectl', '--server=x'], files: [] });
  });
});
