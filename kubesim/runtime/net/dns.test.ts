import { describe, expect, it } from 'vitest';
import { bb, runPod, service, sh, slice, world, type World } from '../testing/fixtures.ts';

function cluster(): World {
  const w = world(7);
  service(w, 'web', { clusterIP: '10.96.45.62', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
  service(w, 'backend-svc', { clusterIP: '10.96.7.7', ports: [{ port: 80 }] }, 'shop');
  service(w, 'db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] });
  slice(w, 'db', [{ name: 'pg', port: 5432 }], [
    { ip: '10.244.1.20', hostname: 'db-0' }, { ip: '10.244.2.21', hostname: 'db-1' }, { ip: '10.244.1.22', hostname: 'db-2', ready: false },
  ]);
  service(w, 'empty', { clusterIP: 'None', ports: [{ port: 80 }] });
  slice(w, 'empty', [{ port: 80 }], [{ ip: '10.244.1.30', ready: false }]);
  return w;
}

describe('cluster DNS (CoreDNS kubernetes plugin)', () => {
  const w = cluster();
  const q = (name: string, type: 'A' | 'SRV' = 'A') => {
    const r = w.rt.network.dns.query(name, type);
    return `${r.rcode} ${r.answers.map((a) => a.data).sort().join(',')}`;
  };
  it.each([
    ['ClusterIP service FQDN', 'web.default.svc.cluster.local', 'A', 'NOERROR 10.96.45.62'],
    ['trailing dot', 'web.default.svc.cluster.local.', 'A', 'NOERROR 10.96.45.62'],
    ['cross-namespace', 'backend-svc.shop.svc.cluster.local', 'A', 'NOERROR 10.96.7.7'],
    ['unknown service', 'nope.default.svc.cluster.local', 'A', 'NXDOMAIN '],
    ['unknown namespace', 'web.nope.svc.cluster.local', 'A', 'NXDOMAIN '],
    ['search-list junk', 'web.svc.cluster.local', 'A', 'NXDOMAIN '],
    ['outside the zone', 'web.cluster.local', 'A', 'NXDOMAIN '],
    ['headless: ready endpoints only', 'db.default.svc.cluster.local', 'A', 'NOERROR 10.244.1.20,10.244.2.21'],
    ['headless without ready endpoints', 'empty.default.svc.cluster.local', 'A', 'NXDOMAIN '],
    ['StatefulSet pod through its service', 'db-0.db.default.svc.cluster.local', 'A', 'NOERROR 10.244.1.20'],
    ['not-ready StatefulSet pod', 'db-2.db.default.svc.cluster.local', 'A', 'NXDOMAIN '],
    ['pod A record', '10-244-1-5.default.pod.cluster.local', 'A', 'NOERROR 10.244.1.5'],
    ['SRV of a ClusterIP named port', '_http._tcp.web.default.svc.cluster.local', 'SRV', 'NOERROR 0 100 80 web.default.svc.cluster.local'],
    ['SRV of a headless named port', '_pg._tcp.db.default.svc.cluster.local', 'SRV', 'NOERROR 0 50 5432 db-0.db.default.svc.cluster.local,0 50 5432 db-1.db.default.svc.cluster.local'],
    ['SRV of an unknown port', '_x._tcp.web.default.svc.cluster.local', 'SRV', 'NXDOMAIN '],
  ] as const)('%s: %s', (_why, name, type, want) => {
    expect(q(name, type)).toBe(want);
  });

  it('shuffles A records like the loadbalance plugin (seeded)', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) orders.add(w.rt.network.dns.query('db.default.svc.cluster.local', 'A').answers.map((a) => a.data).join(','));
    expect(orders.size).toBe(2);
  });
});

describe('busybox nslookup output', () => {
  it.each([
    ['dotless name walks the search list', 'nslookup web', 1,
      // A for each search domain, then AAAA for each (add_query_with_search per type); the
      // AAAA NODATA answer for the Service prints only its blank line.
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.45.62\n\n' +
      "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n\n" +
      "** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n"],
    ['FQDN', 'nslookup web.default.svc.cluster.local', 0,
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.45.62\n\n\n'],
    ['a dotted short name skips the search list', 'nslookup backend-svc.shop', 1,
      "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find backend-svc.shop: NXDOMAIN\n\n** server can't find backend-svc.shop: NXDOMAIN\n\n"],
    ['StatefulSet pod name', 'nslookup db-1.db.default.svc.cluster.local', 0,
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tdb-1.db.default.svc.cluster.local\nAddress: 10.244.2.21\n\n\n'],
  ])('%s', async (_why, cmd, code, out) => {
    const w = cluster();
    const client = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, cmd);
    expect([r.stdout, r.exitCode]).toEqual([out, code]);
  });

  it('headless service prints one Name/Address per ready endpoint', async () => {
    const w = cluster();
    const client = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'nslookup db.default.svc.cluster.local | grep Address: | sort');
    expect(r.stdout).toBe('Address:\t10.96.0.10:53\nAddress: 10.244.1.20\nAddress: 10.244.2.21\n');
  });

  it('times out when kube-dns has no ready endpoints (CoreDNS down)', async () => {
    const w = cluster();
    service(w, 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system');
    slice(w, 'kube-dns', [{ name: 'dns', port: 53, protocol: 'UDP' }], [{ ip: '10.244.0.2', ready: false }], 'kube-system');
    const client = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, 'nslookup web');
    expect([r.stdout, r.exitCode]).toEqual([';; connection timed out; no servers could be reached\n\n', 1]);
  });
});

describe('libc resolution in nginx (getent)', () => {
  it.each([
    ['getent hosts web', '10.96.45.62     web.default.svc.cluster.local\n', 0],
    ['getent hosts backend-svc.shop', '10.96.7.7       backend-svc.shop.svc.cluster.local\n', 0],
    ['getent hosts db-0.db', '10.244.1.20     db-0.db.default.svc.cluster.local\n', 0],
    ['getent hosts nope', '', 2],
    ['getent ahosts web | head -1', '10.96.45.62     STREAM web.default.svc.cluster.local\n', 0],
    // print_hosts loops over h_addr_list; ahosts names only the first result (ai_canonname).
    ['getent hosts db.default.svc.cluster.local | sort', '10.244.1.20     db.default.svc.cluster.local\n10.244.2.21     db.default.svc.cluster.local\n', 0],
    ['getent ahostsv4 db | grep -c STREAM.db', '1\n', 0],
    ['getent ahostsv4 db | wc -l', '6\n', 0],
    // /etc/hosts: h_name is the line's first name, the rest are aliases; IPv6 is asked first.
    ['getent hosts localhost', '::1             localhost ip6-localhost ip6-loopback\n', 0],
    ['getent ahostsv4 localhost', '127.0.0.1       STREAM localhost\n127.0.0.1       DGRAM  \n127.0.0.1       RAW    \n', 0],
    ['getent hosts web-0', '10.244.1.5      web-0\n', 0],
  ])('%s', async (cmd, out, code) => {
    const w = cluster();
    const web = runPod(w, 'web-0', { ip: '10.244.1.5', containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    const r = await sh(w, web, cmd);
    expect([r.stdout, r.exitCode]).toEqual([out, code]);
  });

  it('writes resolv.conf for ClusterFirst pods', async () => {
    const w = cluster();
    const p = runPod(w, 'c', { ns: 'shop', ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, p, 'cat /etc/resolv.conf');
    expect(r.stdout).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });
});
