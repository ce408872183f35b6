// What learners see when exec or logs go wrong, through real kubectl 1.32: its own
// checks (completed Pod), the apiserver's (unknown container), the exit-code status
// frame, a missing binary (via sh: 127; direct: the OCI error), and crash-loop logs.
// Sources: kubectl pkg/cmd/exec/exec.go Run; client-go tools/remotecommand/v4.go
// errorDecoderV4; pkg/registry/core/pod/strategy.go; docker-library/postgres entrypoint.

import { describe, expect, it } from 'vitest';
import { useLab } from './lab.ts';

const lab = useLab(43);

describe('kubectl exec error paths', () => {
  it('unknown container, completed Pod, non-zero exit', async () => {
    const ns = await lab.namespace('clients.yaml', 'pods-misc.yaml');
    await ns.ready('client');
    expect((await ns.k('wait', '--for=jsonpath={.status.phase}=Succeeded', '--timeout=60s', 'pod/done')).exitCode).toBe(0);

    // kubectl only defaults the container itself; a named one is checked by the apiserver (400).
    expect(await ns.k('exec', 'client', '-c', 'nope', '--', 'true'))
      .toEqual({ stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod client\n', exitCode: 1 });
    expect(await ns.k('exec', 'done', '--', 'true'))
      .toEqual({ stdout: '', stderr: 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n', exitCode: 1 });
    expect(await ns.exec('client', 'sh', '-c', 'echo before; exit 3'))
      .toEqual({ stdout: 'before\n', stderr: 'command terminated with exit code 3\n', exitCode: 3 });
  });

  it('a command the image lacks: 127 through sh, the OCI error when exec runs it directly', async () => {
    const ns = await lab.namespace('clients.yaml');
    await ns.ready('web-client');
    // nginx's sh is dash: "sh: 1: <cmd>: not found".
    expect(await ns.exec('web-client', 'sh', '-c', 'nslookup backend-service'))
      .toEqual({ stdout: '', stderr: 'sh: 1: nslookup: not found\ncommand terminated with exit code 127\n', exitCode: 127 });
    const direct = await ns.exec('web-client', 'nslookup', 'backend-service');
    expect(direct.exitCode).toBe(1);
    expect(direct.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nslookup": executable file not found in \$PATH: unknown\n$/);
  });
});

describe('kubectl logs', () => {
  it('postgres: startup lines; without a password: the error, also with --previous', async () => {
    const ns = await lab.namespace('database.yaml', 'pods-misc.yaml');
    await ns.rollout('statefulset/database-statefulset');
    const started = await ns.k('logs', 'database-statefulset-0');
    expect(started.stdout).toContain('PostgreSQL init process complete; ready for start up.\n');
    expect(started.stdout).toMatch(/ UTC \[1\] LOG:  database system is ready to accept connections\n/);

    // Restarted at least once, so a previous container exists. Wait on lastState, which
    // stays once set: an exact restartCount is passed in a few hundred ms at test pace,
    // and a kubectl slowed by a loaded machine would wait for a value already gone.
    expect((await ns.k('wait', '--for=jsonpath={.status.containerStatuses[0].lastState.terminated.reason}=Error', '--timeout=60s', 'pod/db-no-password')).exitCode).toBe(0);
    const error = 'Error: Database is uninitialized and superuser password is not specified.\n';
    for (const args of [['logs', 'db-no-password'], ['logs', 'db-no-password', '--previous']]) {
      const r = await ns.k(...args);
      expect([r.exitCode, r.stdout.startsWith(error)]).toEqual([0, true]);
      expect(r.stdout).toContain('You must specify POSTGRES_PASSWORD to a non-empty value for the\n');
    }
    const none = await ns.k('logs', 'database-statefulset-0', '--previous');
    expect(none).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): previous terminated container "postgres" in pod "database-statefulset-0" not found\n', exitCode: 1 });
  });
});
