// `kubectl explain` against the served OpenAPI v3 schemas, and `kubectl apply
// --validate` refusing an unknown and a wrongly typed field with the field named.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 18 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

describe('kubectl explain', () => {
  it('prints a Service field with its type and description', async () => {
    const r = await k('explain', 'service.spec.internalTrafficPolicy');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain('KIND:       Service\nVERSION:    v1');
    expect(r.stdout).toContain('FIELD: internalTrafficPolicy <string>');
    expect(r.stdout).toMatch(/Local only to endpoints on the same node as the client/);
  });

  it('follows $refs from a Deployment down to a container probe', async () => {
    const r = await k('explain', 'deployment.spec.template.spec.containers.readinessProbe');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain('GROUP:      apps');
    expect(r.stdout).toContain('FIELD: readinessProbe <Probe>');
    expect(r.stdout).toMatch(/httpGet\t<HTTPGetAction>/);
    expect(r.stdout).toMatch(/failureThreshold\t<integer>/);
  });

  it('describes a kind and lists its fields', async () => {
    const r = await k('explain', 'pods');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain('KIND:       Pod');
    expect(r.stdout).toMatch(/DESCRIPTION:\n\s+A group of containers/);
    expect(r.stdout).toMatch(/spec\t<PodSpec>/);
    expect((await k('explain', 'pod.spec.containers')).stdout).toMatch(/FIELD: containers <\[\]Container>/);
  });

  it.each(['pods', 'services', 'endpoints', 'endpointslices', 'deployments', 'replicasets', 'statefulsets', 'configmaps', 'secrets', 'namespaces',
    'serviceaccounts', 'resourcequotas', 'limitranges', 'networkpolicies', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'])(
    'explain --recursive %s succeeds', async (resource) => {
      const r = await k('explain', '--recursive', resource);
      expect(r).toMatchObject({ exitCode: 0, stderr: '' });
      expect(r.stdout).toMatch(/FIELDS:\n(?:.*\n)*?  apiVersion\t<string>\n(?:.*\n)*?  metadata\t<ObjectMeta>\n/);
    });

  it.each([
    ['networkpolicy.spec.egress.ports.port', 'GROUP:      networking.k8s.io', /FIELD: port <string>/, /the pod's port,\s+not the Service's/],
    ['netpol.spec.ingress.from', 'KIND:       NetworkPolicy', /FIELD: from <\[\]NetworkPolicyPeer>/, /ipBlock\t<IPBlock>/],
    ['role.rules', 'GROUP:      rbac.authorization.k8s.io', /FIELD: rules <\[\]PolicyRule>/, /verbs\t<\[\]string> -required-/],
    ['rolebinding.roleRef', 'KIND:       RoleBinding', /FIELD: roleRef <RoleRef>/, /kind\t<string> -required-/],
    ['sa.automountServiceAccountToken', 'KIND:       ServiceAccount', /FIELD: automountServiceAccountToken <boolean>/, /mounted/],
    ['quota.spec.hard', 'KIND:       ResourceQuota', /FIELD: hard <map\[string\]string>/, /count\/deployments\.apps/],
    ['limits.spec.limits.defaultRequest', 'KIND:       LimitRange', /FIELD: defaultRequest <map\[string\]string>/, /Requests given to a container/],
  ])('explain %s', async (path, header, field, text) => {
    const r = await k('explain', path);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain(header);
    expect(r.stdout).toMatch(field);
    expect(r.stdout).toMatch(text);
  });

  it('explain --recursive reaches nested fields', async () => {
    const r = await k('explain', '--recursive', 'service.spec');
    expect(r.stdout).toMatch(/sessionAffinityConfig\t<SessionAffinityConfig>\n\s+clientIP\t<ClientIPConfig>\n\s+timeoutSeconds\t<integer>/);
  });
});

describe('kubectl apply --validate=strict', () => {
  const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
${spec}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
`;

  it('refuses an unknown field and names it', async () => {
    const file = manifest(join(k.dir, 'unknown.yaml'), deployment('  replicas: 1') + '        imagePullPolcy: Always\n');
    const r = await k('apply', '--validate=strict', '-f', file);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolcy"');
  });

  it('refuses a wrongly typed field and names it', async () => {
    const file = manifest(join(k.dir, 'typed.yaml'), deployment('  replicas: "three"'));
    const r = await k('apply', '--validate=strict', '-f', file);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('with --validate=warn, creates the object and prints the unknown field as a warning', async () => {
    const file = manifest(join(k.dir, 'warn.yaml'), deployment('  replicas: 1') + '        imagePullPolcy: Always\n');
    const r = await k('apply', '--validate=warn', '-f', file);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'deployment.apps/web created' });
    expect(r.stderr).toContain('Warning: unknown field "spec.template.spec.containers[0].imagePullPolcy"');
  });
});
