// Lessons 1 and 4 through real `kubectl exec`: what busybox 1.36 nslookup and glibc getent
// print for Service names inside Pods, byte for byte.
// Sources: busybox networking/nslookup.c (add_query_with_search, send_queries); glibc nss/getent.c.

import { beforeAll, describe, expect, it } from 'vitest';
import { useLab, type Ns } from './lab.ts';

const lab = useLab(41);
const HEAD = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
const nx = (name: string) => `** server can't find ${name}: NXDOMAIN\n\n`;

describe('lesson 1: a ClusterIP Service by name', () => {
  let ns: Ns;
  let ip: string;
  beforeAll(async () => {
    ns = await lab.namespace('backend.yaml', 'clients.yaml');
    await ns.rollout('deploy/backend');
    await ns.ready('client', 'web-client');
    ip = await ns.ip('svc', 'backend-service');
  });

  it('nslookup backend-service: A over the search list, then AAAA; exit 1 for the NXDOMAINs', async () => {
    const fqdn = `backend-service.${ns.name}.svc.cluster.local`;
    const r = await ns.exec('client', 'nslookup', 'backend-service');
    // The AAAA query for the Service gets an empty NOERROR answer: only its blank line shows.
    expect(r.stdout).toBe(`${HEAD}Name:\t${fqdn}\nAddress: ${ip}\n\n` +
      nx('backend-service.svc.cluster.local') + nx('backend-service.cluster.local') + '\n' +
      nx('backend-service.svc.cluster.local') + nx('backend-service.cluster.local'));
    expect([r.stderr, r.exitCode]).toEqual(['command terminated with exit code 1\n', 1]);
  });

  it('nslookup of the FQDN answers alone and exits 0', async () => {
    const fqdn = `backend-service.${ns.name}.svc.cluster.local`;
    expect(await ns.exec('client', 'nslookup', fqdn)).toEqual({ stdout: `${HEAD}Name:\t${fqdn}\nAddress: ${ip}\n\n\n`, stderr: '', exitCode: 0 });
  });

  it('getent hosts and ahostsv4 from the nginx Pod go through the libc search list', async () => {
    const fqdn = `backend-service.${ns.name}.svc.cluster.local`;
    expect((await ns.exec('web-client', 'getent', 'hosts', 'backend-service')).stdout).toBe(`${ip.padEnd(15)} ${fqdn}\n`);
    expect((await ns.exec('web-client', 'getent', 'ahostsv4', 'backend-service')).stdout)
      .toBe(`${ip.padEnd(15)} STREAM ${fqdn}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`);
    expect(await ns.exec('web-client', 'getent', 'hosts', 'no-such-service')).toEqual({ stdout: '', stderr: 'command terminated with exit code 2\n', exitCode: 2 });
  });
});

describe('lesson 4: a headless Service in front of a StatefulSet', () => {
  let ns: Ns;
  let podIPs: string[];
  beforeAll(async () => {
    ns = await lab.namespace('database.yaml', 'clients.yaml');
    await ns.rollout('statefulset/database-statefulset');
    await ns.ready('client', 'web-client');
    podIPs = await Promise.all([0, 1, 2].map((i) => ns.ip('pod', `database-statefulset-${i}`)));
  });

  const addresses = (stdout: string) => [...stdout.matchAll(/^Address: (\S+)$/gm)].map((m) => m[1]).sort();

  it('nslookup database-headless-svc: the three Pod IPs, no virtual IP', async () => {
    const r = await ns.exec('client', 'nslookup', 'database-headless-svc');
    expect(addresses(r.stdout)).toEqual([...podIPs].sort());
    const names = [...r.stdout.matchAll(/^Name:\t(\S+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(Array(3).fill(`database-headless-svc.${ns.name}.svc.cluster.local`));
    expect(r.exitCode).toBe(1);
  });

  it('nslookup of a dotted short name skips the search list (busybox), so it is NXDOMAIN', async () => {
    const name = 'database-statefulset-0.database-headless-svc';
    const r = await ns.exec('client', 'nslookup', name);
    expect([r.stdout, r.exitCode]).toEqual([HEAD + nx(name) + nx(name), 1]);
  });

  it('the Pod FQDN resolves to Pod 0 with nslookup; getent resolves the short form (ndots:5)', async () => {
    const fqdn = `database-statefulset-0.database-headless-svc.${ns.name}.svc.cluster.local`;
    expect(await ns.exec('client', 'nslookup', fqdn)).toEqual({ stdout: `${HEAD}Name:\t${fqdn}\nAddress: ${podIPs[0]}\n\n\n`, stderr: '', exitCode: 0 });
    const short = await ns.exec('web-client', 'getent', 'hosts', 'database-statefulset-0.database-headless-svc');
    expect(short.stdout).toBe(`${podIPs[0]!.padEnd(15)} ${fqdn}\n`);
  });

  it('getent hosts prints every address of the headless Service; ahostsv4 names only the first', async () => {
    const fqdn = `database-headless-svc.${ns.name}.svc.cluster.local`;
    const hosts = await ns.exec('web-client', 'getent', 'hosts', 'database-headless-svc');
    expect(hosts.stdout.split('\n').filter(Boolean).sort()).toEqual([...podIPs].sort().map((ip) => `${ip.padEnd(15)} ${fqdn}`));
    const ahosts = (await ns.exec('web-client', 'getent', 'ahostsv4', 'database-headless-svc')).stdout.split('\n');
    expect(ahosts.filter((l) => l.includes('STREAM')).map((l) => l.slice(16))).toEqual([`STREAM ${fqdn}`, 'STREAM ', 'STREAM ']);
  });
});
