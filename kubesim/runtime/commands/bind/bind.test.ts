import { describe, expect, it } from 'vitest';
import { runPod, service, sh, slice, world, type World } from '../../testing/fixtures.ts';

// 2026-01-01T00:00:00Z is the ManualClock's start; dig's WHEN line and the SOA serial use it.
function cluster(): World {
  const w = world(3);
  runPod(w, 'web-0', { ip: '10.244.1.5', labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
  service(w, 'web', { clusterIP: '10.96.45.62', ports: [{ name: 'http', port: 80 }] });
  slice(w, 'web', [{ name: 'http', port: 80 }], [{ ip: '10.244.1.5' }]);
  service(w, 'db', { clusterIP: 'None', ports: [{ port: 5432 }] });
  slice(w, 'db', [{ port: 5432 }], [{ ip: '10.244.1.7', hostname: 'db-0' }]);
  return w;
}

const netshoot = (w: World) => runPod(w, 'tools', { ip: '10.244.1.9', containers: [{ name: 'netshoot', image: 'nicolaka/netshoot', command: ['sleep', 'infinity'] }] });

describe('netshoot dig', () => {
  it('prints the full reply in master-file layout, as dig 9.20 does against CoreDNS', async () => {
    const w = cluster();
    const r = await sh(w, netshoot(w), 'dig web.default.svc.cluster.local');
    // The message id is random (from the seeded rng); everything else is fixed.
    expect(r.stdout.replace(/id: \d+/, 'id: N')).toBe([
      '',
      '; <<>> DiG 9.20.15 <<>> web.default.svc.cluster.local',
      ';; global options: +cmd',
      ';; Got answer:',
      ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: N',
      ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
      ';; WARNING: recursion requested but not available',
      '',
      ';; OPT PSEUDOSECTION:',
      '; EDNS: version: 0, flags:; udp: 1232',
      ';; QUESTION SECTION:',
      ';web.default.svc.cluster.local.\tIN\tA',
      '',
      ';; ANSWER SECTION:',
      'web.default.svc.cluster.local. 5 IN\tA\t10.96.45.62',
      '',
      ';; Query time: 0 msec',
      ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
      ';; WHEN: Thu Jan 01 00:00:00 UTC 2026',
      ';; MSG SIZE  rcvd: 74',
      '',
      '',
    ].join('\n'));
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['+short A', 'dig +short web.default.svc.cluster.local', '10.96.45.62\n', 0],
    ['+short SRV of a named port', 'dig +short SRV _http._tcp.web.default.svc.cluster.local', '0 100 80 web.default.svc.cluster.local.\n', 0],
    ['SRV answer line', 'dig +noall +answer SRV _http._tcp.web.default.svc.cluster.local', '_http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local.\n', 0],
    ['headless: the Pod IPs', 'dig +short db.default.svc.cluster.local', '10.244.1.7\n', 0],
    ['-x reverse', 'dig +short -x 10.96.45.62', 'web.default.svc.cluster.local.\n', 0],
    // dig does not use the search list unless told: the short name is NXDOMAIN, exit 0.
    ['no search list by default', 'dig +short web; echo "exit $?"', 'exit 0\n', 0],
    ['+search walks resolv.conf', 'dig +short +search web', '10.96.45.62\n', 0],
    ['NXDOMAIN status and the zone SOA', 'dig nope.default.svc.cluster.local >/tmp/out; grep -c "status: NXDOMAIN" /tmp/out; grep "^cluster.local" /tmp/out',
      '1\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1767225600 7200 1800 86400 30\n', 0],
  ])('%s', async (_why, script, stdout, code) => {
    const w = cluster();
    const r = await sh(w, netshoot(w), script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, '', code]);
  });
});

describe('netshoot nslookup is BIND\'s, not busybox\'s', () => {
  it.each([
    ['a short name through the search list', 'nslookup web', 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.45.62\n\n', 0],
    ['a missing name: the name as typed, exit 1', 'nslookup nope', "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n\n", 1],
    ['SRV', 'nslookup -type=srv _http._tcp.web.default.svc.cluster.local', 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local.\n\n', 0],
    ['reverse', 'nslookup 10.96.45.62', 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n62.45.96.10.in-addr.arpa\tname = web.default.svc.cluster.local.\n\n', 0],
  ])('%s', async (_why, script, stdout, code) => {
    const w = cluster();
    const r = await sh(w, netshoot(w), script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, '', code]);
  });
});

describe('netshoot other tools', () => {
  it.each([
    ['host', 'host web', 'web.default.svc.cluster.local has address 10.96.45.62\n', 0],
    ['host, missing', 'host nope', 'Host nope not found: 3(NXDOMAIN)\n', 1],
    ['curl 8.14 reaches a Service', "curl -s -o /dev/null -w '%{http_code}' http://web", '200', 0],
    ['bash is there', 'bash -c \'echo "$((6*7))"\'', '42\n', 0],
  ])('%s', async (_why, script, stdout, code) => {
    const w = cluster();
    const r = await sh(w, netshoot(w), script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, '', code]);
  });

  it('runs zsh, its CMD, as the main process when started without a command', () => {
    const w = world();
    const pod = w.store.create('pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n', namespace: 'default' },
      spec: { nodeName: 'kind-worker', containers: [{ name: 'n', image: 'nicolaka/netshoot:v0.14' }] },
      status: { phase: 'Pending', podIP: '10.244.1.3', hostIP: '172.18.0.3' },
    });
    // zsh with no terminal reads its (empty) stdin and exits 0, as `kubectl run` without -it does.
    expect(w.rt.start(pod, 'n')).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(w.rt.canPull('nicolaka/netshoot:v0.99')).toBe(false);
  });
});

describe('netshoot with no DNS server answering', () => {
  // kube-dns with no ready endpoints: kube-proxy rejects the queries, so no reply ever comes.
  function deafDns(): World {
    const w = cluster();
    service(w, 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system');
    slice(w, 'kube-dns', [{ name: 'dns', port: 53, protocol: 'UDP' }], [], 'kube-system');
    return w;
  }

  it.each([
    ['dig: three tries, then exit 9', 'dig +short web.default.svc.cluster.local',
      ';; communications error to 10.96.0.10#53: timed out\n'.repeat(3) + ';; no servers could be reached\n', 9],
    ['dig +tries=1', 'dig +short +tries=1 web.default.svc.cluster.local',
      ';; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n', 9],
    ['nslookup: exit 1', 'nslookup web',
      ';; communications error to 10.96.0.10#53: timed out\n'.repeat(3) + ';; no servers could be reached\n\n', 1],
  ])('%s', async (_why, script, stdout, code) => {
    const w = deafDns();
    const r = await sh(w, netshoot(w), script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, '', code]);
  });
});
