// RBAC escalation prevention through the real kubectl: a namespace manager may write
// Roles and RoleBindings only with permissions it holds, unless it has `escalate` or
// `bind`, as on a real cluster (pkg/registry/rbac/*/policybased).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let admin: Kubectl;
let n = 0;

beforeAll(async () => {
  cluster = await startCluster({ seed: 43 });
  admin = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => cluster?.close());

/** A namespace and a ServiceAccount there that may manage Roles/RoleBindings and read Pods; `extra` rules added. */
async function manager(...extra: string[][]): Promise<{ ns: string; as: Kubectl }> {
  const ns = `esc-${++n}`;
  await admin('create', 'namespace', ns);
  await admin('-n', ns, 'create', 'serviceaccount', 'manager');
  await admin('-n', ns, 'create', 'role', 'manage-rbac', '--verb=get,list,create,update,patch,delete', '--resource=roles,rolebindings');
  await admin('-n', ns, 'create', 'role', 'read-pods', '--verb=get,list', '--resource=pods');
  for (const [i, args] of extra.entries()) expect((await admin('-n', ns, 'create', 'role', `extra-${i}`, ...args)).exitCode).toBe(0);
  for (const role of ['manage-rbac', 'read-pods', ...extra.map((_, i) => `extra-${i}`)]) {
    await admin('-n', ns, 'create', 'rolebinding', role, `--role=${role}`, `--serviceaccount=${ns}:manager`);
  }
  const token = (await admin('-n', ns, 'create', 'token', 'manager')).stdout;
  return { ns, as: kubectlFor(cluster.kubeconfigFor({ token, namespace: ns, name: 'manager' })) };
}

const groups = (ns: string) => `(groups=["system:serviceaccounts" "system:serviceaccounts:${ns}" "system:authenticated"])`;

describe('RBAC escalation prevention', () => {
  it('a Role within what the writer holds is created; one beyond it is refused with the missing rules', async () => {
    const { ns, as } = await manager();
    expect((await as('create', 'role', 'pod-reader', '--verb=get', '--resource=pods')).stdout).toBe('role.rbac.authorization.k8s.io/pod-reader created');
    const refused = await as('create', 'role', 'secret-reader', '--verb=get,list', '--resource=secrets,pods');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "system:serviceaccount:${ns}:manager" ${groups(ns)} ` +
        'is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
    );
  });

  it('the escalate verb lifts the check for Roles; bind lifts it for a binding to that role only', async () => {
    const { ns, as } = await manager(['--verb=escalate', '--resource=roles']);
    expect((await as('create', 'role', 'secret-reader', '--verb=get', '--resource=secrets')).exitCode).toBe(0);
    const refused = await as('create', 'rolebinding', 'grant', '--role=secret-reader', `--serviceaccount=${ns}:manager`);
    expect(refused.stderr).toContain('is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}');
    await admin('-n', ns, 'create', 'role', 'bind-secret-reader', '--verb=bind', '--resource=roles', '--resource-name=secret-reader');
    await admin('-n', ns, 'create', 'rolebinding', 'bind-secret-reader', '--role=bind-secret-reader', `--serviceaccount=${ns}:manager`);
    expect((await as('create', 'rolebinding', 'grant', '--role=secret-reader', `--serviceaccount=${ns}:manager`)).exitCode).toBe(0);
  });

  it('a binding to a role that does not exist is NotFound; relabelling a held Role is allowed', async () => {
    const { as } = await manager();
    const missing = await as('create', 'rolebinding', 'nothing', '--role=nope', '--user=someone');
    expect(missing.stderr).toContain('roles.rbac.authorization.k8s.io "nope" not found');
    expect((await as('create', 'role', 'pod-lister', '--verb=list', '--resource=pods')).exitCode).toBe(0);
    expect((await as('label', 'role', 'pod-lister', 'team=a')).stdout).toBe('role.rbac.authorization.k8s.io/pod-lister labeled');
  });

  it('the cluster admin is never checked', async () => {
    expect((await admin('create', 'clusterrole', 'anything', '--verb=*', '--resource=*')).exitCode).toBe(0);
  });
});
