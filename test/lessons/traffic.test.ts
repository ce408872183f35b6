// Lessons 1, 5 and 7 through real `kubectl exec`: HTTP through Services, ClientIP
// affinity, no endpoints (REJECT → refused) and internalTrafficPolicy Local without a
// local endpoint (DROP → timeout), then the backends' access logs via `kubectl logs`.
// Sources: KUBESIM.md §4 kube-proxy; curl lib/connect.c; busybox networking/wget.c.

import { describe, expect, it } from 'vitest';
import { useLab } from './lab.ts';

const lab = useLab(42);
const LOOP = 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- -T 2 http://backend-affinity-svc; done';

describe('lesson 5: sessionAffinity ClientIP', () => {
  it('ten requests from one Pod get one answer; a second Pod also sticks to one', async () => {
    const ns = await lab.namespace('affinity.yaml', 'clients.yaml');
    await ns.rollout('deploy/backend-affinity');
    await ns.ready('client', 'client-2');
    const backends = await ns.podNames('app=backend-affinity');
    for (const client of ['client', 'client-2']) {
      const r = await ns.exec(client, 'sh', '-c', LOOP);
      expect([r.stderr, r.exitCode]).toEqual(['', 0]);
      const answers = r.stdout.split('\n').filter(Boolean);
      expect(answers).toHaveLength(10);
      expect(new Set(answers).size).toBe(1);
      expect(backends).toContain(answers[0]);
    }
  });

  it('without affinity the same loop spreads over the backends', async () => {
    const ns = await lab.namespace('affinity.yaml', 'clients.yaml');
    await ns.rollout('deploy/backend-affinity');
    await ns.ready('client');
    expect((await ns.k('patch', 'svc', 'backend-affinity-svc', '-p', '{"spec":{"sessionAffinity":"None"}}')).exitCode).toBe(0);
    const r = await ns.exec('client', 'sh', '-c', LOOP);
    expect(new Set(r.stdout.split('\n').filter(Boolean)).size).toBeGreaterThan(1);
  });
});

describe('lesson 1: HTTP through backend-service', () => {
  it('curl from the nginx Pod gets the welcome page, and one backend logs the request', async () => {
    const ns = await lab.namespace('backend.yaml', 'clients.yaml');
    await ns.rollout('deploy/backend');
    await ns.ready('web-client', 'client');
    const r = await ns.exec('web-client', 'curl', '-s', 'http://backend-service');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>/);
    expect((await ns.exec('client', 'wget', '-qO-', '-T', '2', 'http://backend-service')).stdout).toBe(r.stdout);
    const clientIPs = [await ns.ip('pod', 'web-client'), await ns.ip('pod', 'client')];
    const access = [];
    for (const pod of await ns.podNames('app=backend')) {
      const logs = await ns.k('logs', pod);
      expect(logs.stdout).toContain('[notice] 1#1: start worker processes\n');
      access.push(...logs.stdout.split('\n').filter((l) => /"GET \/ HTTP\/1\.1"/.test(l)));
    }
    // nginx's "main" log format: $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"
    const ip = (i: number) => clientIPs[i]!.replace(/\./g, '\\.');
    expect(access).toHaveLength(2);
    expect(access.filter((l) => new RegExp(`^${ip(0)} - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 615 "-" "curl/7\\.88\\.1" "-"$`).test(l))).toHaveLength(1);
    expect(access.filter((l) => new RegExp(`^${ip(1)} - - \\[.+\\] "GET / HTTP/1\\.1" 200 615 "-" "Wget" "-"$`).test(l))).toHaveLength(1);
  });
});

describe('unreachable Services', () => {
  it('no endpoints: curl is refused at once (exit 7); node-local policy without a local endpoint: wget times out', async () => {
    const ns = await lab.namespace('broken.yaml', 'clients.yaml');
    await ns.ready('web-client', 'far-away', 'near-client');
    const refused = await ns.exec('web-client', 'curl', 'http://nobody-home');
    expect(refused).toEqual({
      stdout: '',
      stderr: "curl: (7) Failed to connect to nobody-home port 80 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n",
      exitCode: 7,
    });
    const dropped = await ns.exec('near-client', 'wget', '-qO-', '-T', '2', 'http://local-only-svc');
    expect(dropped).toEqual({ stdout: '', stderr: 'wget: download timed out\ncommand terminated with exit code 1\n', exitCode: 1 });
  });
});
