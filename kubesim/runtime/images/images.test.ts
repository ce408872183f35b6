import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/types.ts';
import { bb, runPod, sh, world } from '../testing/fixtures.ts';

function podObj(name: string, containers: Record<string, unknown>[], ip = '10.244.1.5'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: 'kind-worker', containers },
    status: { phase: 'Pending', podIP: ip, hostIP: '172.18.0.3' },
  };
}

describe('images', () => {
  it.each([
    ['nginx:1.28', true], ['docker.io/library/nginx:latest', true], ['hashicorp/http-echo', true], ['postgres:16', true],
    ['prom/node-exporter:v1.9.1', true], ['busybox:1.36', true], ['curlimages/curl:8.13.0', true], ['redis:7', true],
    ['mysql:8.4', true], ['registry.k8s.io/coredns/coredns:v1.11.3', true], ['registry.k8s.io/pause:3.10', true],
    ['nginx@sha256:0000', true], ['alpine:3.20', true], ['httpd:2.4', true], ['ubuntu:24.04', true], ['debian:12', true], ['ngnix:1.28', false], ['example.com/unknown:1', false],
  ])('canPull(%s) = %s', (image, want) => {
    expect(world().rt.canPull(image)).toBe(want);
  });

  it.each([
    ['postgres without a password exits 1 with the entrypoint error', { name: 'db', image: 'postgres:16' }, 'exited', 1, /Error: Database is uninitialized and superuser password is not specified\./],
    ['postgres with POSTGRES_PASSWORD runs', { name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }, 'running', 0, /./],
    ['postgres with trust auth runs', { name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' }] }, 'running', 0, /./],
    ['http-echo without -text exits 127', { name: 'e', image: 'hashicorp/http-echo' }, 'exited', 127, /^Missing -text option OR ENV var TEXT is empty!$/],
    ['http-echo with an unknown flag exits 2', { name: 'e', image: 'hashicorp/http-echo', args: ['-port=1'] }, 'exited', 2, /^flag provided but not defined: -port\nUsage of \/http-echo:/],
    ['busybox with no command exits 0 at once', { name: 'b', image: 'busybox' }, 'exited', 0, /^$/],
    ['busybox running a short script exits with its status', { name: 'b', image: 'busybox', command: ['sh', '-c', 'echo hi; exit 3'] }, 'exited', 3, /^hi$/],
    ['mysql without a root password exits 1', { name: 'm', image: 'mysql:8.4' }, 'exited', 1, /password option is not specified/],
    ['a command the image lacks is a StartError', { name: 'e', image: 'hashicorp/http-echo', command: ['sh', '-c', 'true'] }, 'exited', 128, /exec: "sh": executable file not found in \$PATH/],
  ])('%s', (_why, container, state, code, logs) => {
    const w = world();
    const r = w.rt.start(w.store.create('pods', podObj('p', [container])), String(container.name));
    expect(r.state).toBe(state);
    if (r.state === 'exited') {
      expect(r.exitCode).toBe(code);
      expect(r.logs.join('\n')).toMatch(logs);
    }
  });

  it('http-echo: -listen, -text and $(VAR) from the downward API; $$(VAR) escapes; unknown stays', async () => {
    const w = world();
    runPod(w, 'backend-abc', { ip: '10.244.1.5', containers: [{
      name: 'echo', image: 'hashicorp/http-echo:1.0',
      args: ['-listen=:8080', '-text=served by $(POD_NAME) in $(POD_NS) on $(NODE) $$(POD_NAME) $(NOPE)'],
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
    }] });
    const client = runPod(w, 'c', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- 10.244.1.5:8080/any/path; wget -qO- -T 1 10.244.1.5:5678');
    expect(r.stdout).toBe('served by backend-abc in default on kind-worker $(POD_NAME) $(NOPE)\n');
    expect(r.stderr).toBe("wget: can't connect to remote host (10.244.1.5): Connection refused\n");
  });

  it('node-exporter serves Prometheus metrics and a landing page', async () => {
    const w = world();
    runPod(w, 'ne', { ip: '10.244.1.5', containers: [{ name: 'ne', image: 'prom/node-exporter' }] });
    const client = runPod(w, 'c', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- 10.244.1.5:9100/metrics | grep -E "^# TYPE node_cpu_seconds_total|^node_load1 "; wget -qO- 10.244.1.5:9100/ | grep -c "/metrics"');
    expect(r.stdout).toBe('# TYPE node_cpu_seconds_total counter\nnode_load1 0.42\n1\n');
  });

  it('alpine: a busybox shell with wget, nslookup and nc; with no command it runs /bin/sh and exits', async () => {
    const w = world();
    const r0 = w.rt.start(w.store.create('pods', podObj('a0', [{ name: 'a', image: 'alpine:3.20' }])), 'a');
    expect(r0.state === 'exited' && r0.exitCode).toBe(0);
    runPod(w, 'web', { ip: '10.244.1.6', containers: [{ name: 'echo', image: 'hashicorp/http-echo:1.0', args: ['-text=hi from echo'] }] });
    const a = runPod(w, 'a', { ip: '10.244.1.9', containers: [{ name: 'a', image: 'alpine:3.20', command: ['sleep', '3600'] }] });
    const r = await sh(w, a, 'wget -qO- 10.244.1.6:5678; which nslookup; which nc');
    expect(r).toMatchObject({ stdout: 'hi from echo\n/usr/bin/nslookup\n/usr/bin/nc\n', stderr: '' });
  });

  it.each(['ubuntu:24.04', 'debian:bookworm-slim'])('%s: bash and coreutils, but no wget or nslookup (as the real image)', async (image) => {
    const w = world();
    const u = runPod(w, 'u', { ip: '10.244.1.9', containers: [{ name: 'u', image, command: ['sleep', '3600'] }] });
    const r = await sh(w, u, 'echo "$((6 * 7))"; which bash; wget -qO- 10.244.1.6 || echo "wget=$?"');
    expect(r.stdout).toBe('42\n/usr/bin/bash\nwget=127\n');
  });

  it('httpd serves "It works!" on 80 and a 404 elsewhere, logging each request', async () => {
    const w = world();
    const web = runPod(w, 'web', { ip: '10.244.1.5', containers: [{ name: 'httpd', image: 'httpd:2.4' }] });
    const client = runPod(w, 'c', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'wget -qO- 10.244.1.5; wget -qO- 10.244.1.5/nope; echo "status=$?"');
    expect(r.stdout).toBe('<html><body><h1>It works!</h1></body></html>\nstatus=1\n');
    expect(r.stderr).toBe('wget: server returned error: HTTP/1.1 404 Not Found\n');
    expect(w.rt.probe(web, 'httpd', { httpGet: { path: '/', port: 80 } })).toEqual({ success: true });
  });

  it('redis answers PING through nc; postgres accepts TCP', async () => {
    const w = world();
    runPod(w, 'r', { ip: '10.244.1.5', containers: [{ name: 'r', image: 'redis:7' }] });
    runPod(w, 'db', { ip: '10.244.1.6', containers: [{ name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }] });
    const client = runPod(w, 'c', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'echo PING | nc 10.244.1.5 6379; nc -z -w 2 10.244.1.6 5432; echo "pg=$?"; nc -z -w 2 10.244.1.6 5433; echo "closed=$?"');
    expect(r.stdout).toBe('+PONG\r\npg=0\nclosed=1\n');
  });

  it('pg_isready inside the postgres container', async () => {
    const w = world();
    const db = runPod(w, 'db', { ip: '10.244.1.6', containers: [{ name: 'db', image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }] });
    expect((await sh(w, db, 'pg_isready')).stdout).toBe('/var/run/postgresql:5432 - accepting connections\n');
  });
});

describe('probes', () => {
  const w = world();
  const web = runPod(w, 'web', { ip: '10.244.1.5', containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 80 }] }] });
  it.each([
    ['httpGet / by number', { httpGet: { path: '/', port: 80 } }, { success: true }],
    ['httpGet by port name', { httpGet: { path: '/index.html', port: 'http' } }, { success: true }],
    ['httpGet a missing path', { httpGet: { path: '/healthz', port: 80 } }, { success: false, message: 'HTTP probe failed with statuscode: 404' }],
    ['httpGet nothing listening', { httpGet: { path: '/healthz', port: 8080 } }, { success: false, message: 'Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused' }],
    ['tcpSocket open', { tcpSocket: { port: 80 } }, { success: true }],
    ['tcpSocket closed', { tcpSocket: { port: 5432 } }, { success: false, message: 'dial tcp 10.244.1.5:5432: connect: connection refused' }],
    ['exec exit 0', { exec: { command: ['sh', '-c', 'test -f /etc/hostname'] } }, { success: true }],
    ['exec exit 1', { exec: { command: ['cat', '/tmp/ready'] } }, { success: false, message: 'cat: /tmp/ready: No such file or directory' }],
    ['grpc', { grpc: { port: 9000 } }, { success: false, message: 'timeout: failed to connect service "10.244.1.5:9000" within 1s: context deadline exceeded' }],
  ])('%s', (_why, probe, want) => {
    expect(w.rt.probe(web, 'nginx', probe)).toEqual(want);
  });
});
