// The two resolver outputs graders read. busybox 1.36 nslookup (KUBESIM.md §5 shape):
//   Server:\t\t10.96.0.10 / Address:\t10.96.0.10:53 / blank
//   ** server can't find web.svc.cluster.local: NXDOMAIN
//   Name:\tweb.default.svc.cluster.local / Address: 10.96.45.62
// It queries every search domain for a dotless name and exits 1 when ANY of them got
// NXDOMAIN, so the exit code means nothing: the answers do. glibc `getent ahostsv4`
// prints `IP  STREAM name` / `IP  DGRAM` / `IP  RAW` per address, exit 2 when not found.

export type DnsAnswer =
  | { kind: 'addresses'; addresses: string[] }
  | { kind: 'nxdomain' }
  | { kind: 'unreachable'; detail: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function parseNslookup(stdout: string): DnsAnswer {
  if (/connection timed out|no servers could be reached/.test(stdout)) return { kind: 'unreachable', detail: stdout.trim() };
  const addresses = new Set<string>();
  let inAnswer = false;
  let sawNx = false;
  for (const line of stdout.split('\n')) {
    if (/^Name:\s/.test(line)) inAnswer = true;
    else if (line.trim() === '') inAnswer = false;
    else if (/^\*\* server can't find .*: NXDOMAIN/.test(line)) sawNx = true;
    const m = /^Address(?:\s+\d+)?:\s*(\S+)$/.exec(line);
    // The "Address:" right after "Server:" is the DNS server itself (ip:53), not an answer.
    if (m && inAnswer && m[1] && IPV4.test(m[1])) addresses.add(m[1]);
  }
  if (addresses.size > 0) return { kind: 'addresses', addresses: [...addresses].sort() };
  if (sawNx) return { kind: 'nxdomain' };
  // No A record and no NXDOMAIN: the name exists without IPv4 answers (e.g. NODATA).
  return { kind: 'addresses', addresses: [] };
}

export function parseGetentAhosts(stdout: string, exitCode: number): DnsAnswer {
  const addresses = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+STREAM\b/.exec(line);
    if (m?.[1] && IPV4.test(m[1])) addresses.add(m[1]);
  }
  if (addresses.size > 0) return { kind: 'addresses', addresses: [...addresses].sort() };
  // getent exits 2 for "not found"; it cannot tell NXDOMAIN from a resolver timeout.
  if (exitCode === 2) return { kind: 'nxdomain' };
  return { kind: 'unreachable', detail: `getent exited ${exitCode}` };
}
