// Memory bounds as real kubectl meets them (#17.4): ConfigMap and Secret data stop at
// 1 MiB with the apiserver's messages, and a body over the 3 MiB request limit gets
// 413 with a Status body (it used to reset the connection while kubectl was writing).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 43 });
  k = kubectlFor(cluster.kubeconfig);
  expect((await k('create', 'namespace', 'limits')).exitCode).toBe(0);
});
afterAll(async () => {
  await cluster?.close();
});

const MiB = 1024 * 1024;
const configMap = (name: string, bytes: number) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'limits' }, data: { blob: 'x'.repeat(bytes) } });

describe('object size limits', () => {
  it('kubectl create of a 1.1 MiB ConfigMap is refused with the apiserver message', async () => {
    const r = await k.withInput(configMap('big', 1.1 * MiB), 'create', '-f', '-');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('The ConfigMap "big" is invalid: []: Too long: may not be more than 1048576 bytes');
  });

  it('kubectl apply of a 1.1 MiB ConfigMap is refused too; exactly 1 MiB is taken', async () => {
    const r = await k.withInput(configMap('big-apply', 1.1 * MiB), 'apply', '-f', '-');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('[]: Too long: may not be more than 1048576 bytes');
    const ok = await k.withInput(configMap('exactly', MiB), 'create', '-f', '-');
    expect(ok.stdout).toBe('configmap/exactly created');
  });

  it('a Secret over 1 MiB of decoded data is refused on data', async () => {
    const r = await k('-n', 'limits', 'create', 'secret', 'generic', 'big', `--from-literal=blob=${'y'.repeat(1.1 * MiB)}`).catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
    // argv can be too long for some systems; fall back to a manifest when it is.
    const result = r.exitCode === -1
      ? await k.withInput(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big', namespace: 'limits' }, stringData: { blob: 'y'.repeat(1.1 * MiB) } }), 'create', '-f', '-')
      : r;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('The Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes');
  });
});

describe('request body limit', () => {
  it('kubectl gets 413 RequestEntityTooLarge for a 3.5 MiB body, and the server keeps serving', async () => {
    const r = await k.withInput(configMap('huge', 3.5 * MiB), 'create', '-f', '-');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Request entity too large: limit is 3145728');
    expect((await k('-n', 'limits', 'get', 'configmap', 'exactly', '-o', 'name')).stdout).toBe('configmap/exactly');
  });
});
