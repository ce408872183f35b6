// `kubectl apply -f` of a `kind: List` document: kubectl validates a List against
// OpenAPI v2 (no v3 operation covers v1/List), then applies each item on its own.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, manifest, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 19 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

const list = (value: string, extra = '') => `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {mode: "${value}"}${extra}
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports: [{port: 80, targetPort: 8080}]
`;

describe('kubectl apply of a kind: List', () => {
  it('creates, configures and leaves unchanged each item', async () => {
    const first = await k('apply', '-f', manifest(join(k.dir, 'list.yaml'), list('a')));
    expect(first).toMatchObject({ exitCode: 0, stderr: '', stdout: 'configmap/settings created\nservice/web created' });
    const again = await k('apply', '-f', manifest(join(k.dir, 'list.yaml'), list('a')));
    expect(again.stdout).toBe('configmap/settings unchanged\nservice/web unchanged');
    const changed = await k('apply', '-f', manifest(join(k.dir, 'list.yaml'), list('b')));
    expect(changed.stdout).toBe('configmap/settings configured\nservice/web unchanged');
    expect((await k('get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}')).stdout).toBe('b');
  });

  it('still has each item validated by the server: an unknown field in an item is named', async () => {
    const r = await k('apply', '--validate=strict', '-f', manifest(join(k.dir, 'bad-list.yaml'), list('c', '\n  dataa: {x: "1"}')));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('strict decoding error: unknown field "dataa"');
    expect((await k('get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}')).stdout).toBe('b');
  });
});
