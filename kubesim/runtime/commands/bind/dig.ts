// dig from bind-tools 9.20 (netshoot's Alpine package): one query, no search list
// unless +search, the reply in master-file layout (header, QUESTION/ANSWER/AUTHORITY
// sections, stats), +short for rdata only, +noall/+answer and the other display
// switches; no reply → three "communications error" lines and exit 9.
// Source: bind9 bin/dig/dig.c (printmessage, short_answer, help), bin/dig/dighost.c
// (+time=5, +tries=3, "no servers could be reached"), lib/dns/message.c (section titles).

import type { DnsRecord, DnsReply, Program } from '../../images/types.ts';
import { candidates, isIPv4 } from '../../net/resolve.ts';
import { timeout, type Proc } from '../../proc.ts';
import { ask, reverseName } from './query.ts';
import { RECORD_TTL, SOA_TTL, absolute, clusterSoa, inClusterZone, questionLine, rdata, recordLine, resolvConfServer, wireLength } from './zone.ts';

export const DIG_VERSION = '9.20.15';

const TYPES = new Set(['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'ANY', 'CAA']);

interface Display { cmd: boolean; comments: boolean; question: boolean; answer: boolean; authority: boolean; stats: boolean; short: boolean }

const DISPLAY_KEYS = ['cmd', 'comments', 'question', 'answer', 'authority', 'stats'] as const;

/** dig's "Fri Dec 02 10:22:43 UTC 2026" (ctime without the newline, zero-padded day). */
function when(ms: number): string {
  const d = new Date(ms);
  const day = d.toUTCString().slice(0, 3);
  const mon = d.toUTCString().slice(8, 11);
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)} UTC ${d.getUTCFullYear()}`;
}

function rdataWire(r: DnsRecord): number {
  if (r.type === 'A') return 4;
  if (r.type === 'AAAA') return 16;
  if (r.type === 'SRV') return 6 + wireLength(r.data.split(' ')[3] ?? '');
  return wireLength(r.data);
}

export const dig: Program = function* (argv, ctx): Proc<number> {
  const display: Display = { cmd: true, comments: true, question: true, answer: true, authority: true, stats: true, short: false };
  let search = false;
  let timeSec = 5, tries = 3;
  let server: string | undefined;
  let name: string | undefined;
  let type: string | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('@')) { server = a.slice(1); continue; }
    if (a === '-t') { type = (args[++i] ?? '').toUpperCase(); continue; }
    if (a === '-x') { const ip = args[++i] ?? ''; name = isIPv4(ip) ? reverseName(ip) : ip; type = 'PTR'; continue; }
    if (a === '-q') { name = args[++i]; continue; }
    if (a === '-p' || a === '-c') { i++; continue; }
    if (a === '-h') { ctx.io.out('Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n'); return 0; }
    if (a.startsWith('+')) {
      const m = /^\+(no)?([a-z]+)(?:=(\S*))?$/.exec(a);
      const off = !!m?.[1];
      const opt = m?.[2] ?? '';
      if (opt === 'short') { display.short = !off; continue; }
      if (opt === 'search') { search = !off; continue; }
      if (opt === 'all') { for (const k of DISPLAY_KEYS) display[k] = !off; continue; }
      if ((DISPLAY_KEYS as readonly string[]).includes(opt)) { display[opt as (typeof DISPLAY_KEYS)[number]] = !off; continue; }
      if (opt === 'time') { timeSec = Math.max(1, Number(m?.[3] ?? 5)); continue; }
      if (opt === 'tries') { tries = Math.max(1, Number(m?.[3] ?? 3)); continue; }
      if (opt === 'retry') { tries = Math.max(0, Number(m?.[3] ?? 2)) + 1; continue; }
      continue; // +[no]recurse, +tcp, +trace, ...: no effect on what the cluster DNS answers
    }
    // dig.c: a word that parses as a type (or class) is one, whatever its position.
    if (!type && TYPES.has(a.toUpperCase())) { type = a.toUpperCase(); continue; }
    if (a.toUpperCase() === 'IN') continue;
    if (name === undefined) name = a;
  }
  // `dig` alone asks the root NS; the cluster has no upstream: answer as for any outside name.
  const qname = absolute(name ?? '.');
  const qtype = type ?? (name === undefined ? 'NS' : 'A');
  const ns = server ?? resolvConfServer(ctx.self.file('/etc/resolv.conf'));
  const banner = `\n; <<>> DiG ${DIG_VERSION} <<>> ${argv.slice(1).join(' ')}\n`;

  // +search: the resolv.conf search list (and ndots) apply; otherwise the name as given.
  const tried = search && !qname.slice(0, -1).endsWith('.in-addr.arpa') && name !== undefined && !name.endsWith('.') ? candidates(ctx, name) : [qname];
  let asked = qname;
  let reply: DnsReply = { rcode: 'NXDOMAIN', answers: [] };
  for (const n of tried) {
    asked = absolute(n);
    reply = ask(ctx, asked, qtype);
    if (reply.rcode !== 'NXDOMAIN') break;
  }

  if (reply.rcode === 'TIMEOUT') {
    let out = '';
    for (let t = 0; t < tries; t++) {
      yield* timeout(timeSec * 1000);
      out += `;; communications error to ${ns}#53: timed out\n`;
    }
    if (!display.short && display.cmd) out += `${banner};; global options: +cmd\n`;
    out += ';; no servers could be reached\n';
    if (!display.short) out += '\n';
    ctx.io.out(out);
    return 9;
  }

  const answers = reply.answers;
  if (display.short) {
    ctx.io.out(answers.map((r) => `${rdata(r)}\n`).join(''));
    return 0;
  }
  // An empty answer from the cluster zone carries its SOA (negative caching); outside names
  // have no upstream here, so nothing backs them.
  const soa = answers.length === 0 && inClusterZone(asked) ? clusterSoa(ctx.sys.clock.now()) : undefined;
  const id = Math.floor(ctx.sys.rng.next() * 65536);
  let out = '';
  if (display.cmd) out += `${banner};; global options: +cmd\n`;
  if (display.comments) {
    out += ';; Got answer:\n';
    out += `;; ->>HEADER<<- opcode: QUERY, status: ${reply.rcode}, id: ${id}\n`;
    out += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${answers.length}, AUTHORITY: ${soa ? 1 : 0}, ADDITIONAL: 1\n`;
    out += ';; WARNING: recursion requested but not available\n\n';
    out += ';; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
  }
  if (display.question) out += `${display.comments ? ';; QUESTION SECTION:\n' : ''}${questionLine(asked, qtype)}\n${display.comments ? '\n' : ''}`;
  if (display.answer && answers.length) {
    if (display.comments) out += ';; ANSWER SECTION:\n';
    for (const r of answers) out += `${recordLine(r.name, RECORD_TTL, r.type, rdata(r))}\n`;
    if (display.comments) out += '\n';
  }
  if (display.authority && soa) {
    if (display.comments) out += ';; AUTHORITY SECTION:\n';
    out += `${recordLine(soa.owner, SOA_TTL, 'SOA', soa.data)}\n`;
    if (display.comments) out += '\n';
  }
  if (display.stats) {
    // Wire size: header, question, each answer with its owner compressed to a pointer, OPT.
    const size = 12 + wireLength(asked) + 4 + answers.reduce((n, r) => n + 12 + rdataWire(r), 0)
      + (soa ? 12 + wireLength(`ns.dns.${soa.owner}`) + wireLength(`hostmaster.${soa.owner}`) + 20 : 0) + 11;
    out += `;; Query time: 0 msec\n;; SERVER: ${ns}#53(${ns}) (UDP)\n;; WHEN: ${when(ctx.sys.clock.now())}\n;; MSG SIZE  rcvd: ${size}\n\n`;
  }
  ctx.io.out(out);
  return 0;
};
