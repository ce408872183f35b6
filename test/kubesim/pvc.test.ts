// PersistentVolumeClaims are served (StatefulSet data, kubelab's own deployment): kubectl
// creates, lists and describes them with the apiserver's columns and validation. With no
// provisioner they stay Pending, as on a cluster without a default StorageClass.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 44 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => cluster?.close());

const claim = (spec: string, name = 'data') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
${spec}`;

describe('PersistentVolumeClaims', () => {
  it('are created Pending with volumeMode defaulted, and listed with the real columns', async () => {
    const created = await k.withInput(claim('  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n'), 'apply', '-f', '-');
    expect(created.stdout).toBe('persistentvolumeclaim/data created');
    const listed = await k('get', 'pvc');
    expect(listed.stdout).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\ndata\s+Pending\s+<unset>\s+\d+s$/);
    expect((await k('get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeMode}')).stdout).toBe('Filesystem');
  });

  it('are refused without access modes or size, and their spec is fixed after creation', async () => {
    const refused = await k.withInput(claim('  accessModes: [ReadWriteSometimes]\n', 'bad'), 'apply', '-f', '-');
    expect(refused.stderr).toContain('The PersistentVolumeClaim "bad" is invalid: \n* spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"\n* spec.resources[storage]: Required value');
    const changed = await k('patch', 'pvc', 'data', '--type=merge', '-p', '{"spec":{"accessModes":["ReadWriteMany"]}}');
    expect(changed.stderr).toContain('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    expect((await k('patch', 'pvc', 'data', '--type=merge', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}')).exitCode).toBe(0);
  });
});
