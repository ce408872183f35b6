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

describe('kubectl exec -it: Ctrl-C and line editing', () => {
  it('Ctrl-C interrupts sleep 100 and gives a fresh prompt with $? = 130; backspace erases', async () => {
    const s = kubectlPty(k, 'exec', '-it', 'box', '--', 'sh');
    await s.waitFor('/ # ');
    s.mark();
    s.type('sleep 100\r');
    await s.waitFor('sleep 100\r\n');
    s.mark();
    s.type('\x03');
    await s.waitFor('^C\r\n/ # ');
    s.mark();
    s.type('echo $?x\x7f\r');
    const out = await s.waitFor('/ # ');
    expect(out).toContain('echo $?x\b \b\r\n130\r\n/ # ');
    s.type('\x04');
    const r = await s.exit();
    expect(r.exitCode).toBe(0);
  }, 60_000);
});

describe('kubectl run -it', () => {
  it('attaches to the shell kubectl started; exit ends it and --rm deletes the Pod', async () => {
    const s = kubectlPty(k, 'run', '-it', '--rm', 'debug', '--image=busybox', '--restart=Never', '--', 'sh');
    await s.waitFor("If you don't see a command prompt, try pressing enter.");
    s.mark();
    s.type('\r');
    await s.waitFor('/ # ');
    const phase = await k('get', 'pod', 'debug', '-o', 'jsonpath={.status.phase}');
    expect(phase.stdout).toBe('Running');
    s.mark();
    s.type('hostname\r');
    const out = await s.waitFor('/ # ');
    expect(out).toContain('hostname\r\ndebug\r\n/ # ');
    s.type('exit\r');
    const r = await s.exit();
    expect(r.output).toContain('pod "debug" deleted');
    expect(r.exitCode).toBe(0);
    const gone = await k('get', 'pod', 'debug');
    expect(gone.stderr).toContain('pods "debug" not found');
  }, 60_000);

  it('exit N in the attached shell: kubectl run exits N and says the Pod terminated', async () => {
    const s = kubectlPty(k, 'run', '-it', '--rm', 'fails', '--image=busybox', '--restart=Never', '--', 'sh');
    await s.waitFor("If you don't see a command prompt, try pressing enter.");
    s.type('\r');
    await s.waitFor('/ # ');
    s.type('exit 4\r');
    const r = await s.exit();
    expect(r.output).toContain('pod default/fails terminated (Error)');
    expect(r.exitCode).toBe(4);
  }, 60_000);

  it('-i without a terminal: the script piped in runs once stdin ends', async () => {
    const r = await k.withInput('echo from-stdin-$HOSTNAME\n', 'run', '-i', '--rm', 'piped', '--image=busybox', '--restart=Never', '--', 'sh');
    expect(r.stdout).toContain('from-stdin-piped');
    expect(r.exitCode).toBe(0);
  }, 60_000);

  it('-- nslookup prints the answer, then the Pod ends and is deleted', async () => {
    // The full name: busybox 1.36's nslookup never tries "kubernetes.default" with the search list (as the real one).
    const s = kubectlPty(k, 'run', '-it', '--rm', 'dns', '--image=busybox:1.36', '--restart=Never', '--', 'nslookup', 'kubernetes.default.svc.cluster.local');
    const r = await s.exit();
    // The container had a terminal, so its output (and log) has CRLF line ends; the local pty may add another CR.
    expect(r.output).toMatch(/Name:\tkubernetes\.default\.svc\.cluster\.local\r+\nAddress: 10\.96\.0\.1\r+\n/);
    expect(r.output).toContain('pod "dns" deleted');
    expect(r.exitCode).toBe(0);
    const gone = await k('get', 'pod', 'dns');
    expect(gone.stderr).toContain('pods "dns" not found');
  }, 60_000);
});

describe('kubectl attach', () => {
  it('-it types into the shell a Pod with stdin and tty runs; exit ends the Pod', async () => {
    const pod = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'console' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'sh', image: 'busybox:1.36', command: ['sh'], stdin: true, tty: true }] },
    });
    expect((await k.withInput(pod, 'apply', '-f', '-')).exitCode).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/console', '--timeout=60s')).exitCode).toBe(0);
    const s = kubectlPty(k, 'attach', '-it', 'console');
    await s.waitFor("If you don't see a command prompt, try pressing enter.");
    s.type('\r');
    await s.waitFor('/ # ');
    s.mark();
    s.type('echo attached-$HOSTNAME\r');
    expect(await s.waitFor('/ # ')).toContain('attached-console\r\n/ # ');
    s.type('exit 5\r');
    const r = await s.exit();
    expect(r.exitCode).toBe(0);
    const done = await k('wait', '--for=jsonpath={.status.phase}=Failed', 'pod/console', '--timeout=60s');
    expect(done.exitCode).toBe(0);
    const code = await k('get', 'pod', 'console', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}');
    expect(code.stdout).toBe('5');
  }, 60_000);

  it('without -i streams what the main process prints from now on', async () => {
    const made = await k('run', 'ticker', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 1; done');
    expect(made.exitCode).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/ticker', '--timeout=60s')).exitCode).toBe(0);
    const s = kubectlPty(k, 'attach', 'ticker');
    await s.waitFor(/tick-\d+\r\n/);
    s.mark();
    const later = await s.waitFor(/tick-\d+\r\n/);
    expect(later).toMatch(/tick-(\d+)\r\n[^]*tick-\d+/);
    await s.kill();
  }, 60_000);
});

describe('RBAC on interactive sessions', () => {
  it('attach needs create on pods/attach, as exec needs it on pods/exec', async () => {
    for (const args of [
      ['create', 'serviceaccount', 'limited'],
      ['create', 'role', 'exec-only', '--verb=get,list,watch,create', '--resource=pods,pods/exec'],
      ['create', 'rolebinding', 'limited', '--role=exec-only', '--serviceaccount=default:limited'],
    ]) expect((await k(...args)).exitCode).toBe(0);
    const token = await k('create', 'token', 'limited');
    const limited = kubectlFor(cluster.kubeconfigFor({ token: token.stdout, namespace: 'default', name: 'limited' }));
    const exec = await limited('exec', 'box', '--', 'echo', 'allowed');
    expect(exec.stdout).toBe('allowed');
    const attach = await limited('attach', 'box');
    expect(attach.exitCode).not.toBe(0);
    expect(attach.stderr).toContain('pods "box" is forbidden: User "system:serviceaccount:default:limited" cannot create resource "pods/attach" in API group "" in the namespace "default"');
  }, 60_000);
});

