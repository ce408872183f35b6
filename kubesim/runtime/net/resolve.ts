// The libc resolver (getaddrinfo) as glibc and musl do it with the Pod's resolv.conf:
// /etc/hosts first; a name with fewer dots than ndots (5) tries the search list
// first, then the name as is; a trailing dot means absolute.
// Source: resolv.conf(5) "ndots"; glibc resolv/res_query.c __res_context_search.

import type { ProcCtx } from '../images/types.ts';

/** `name` is the canonical name (h_name); `aliases` the other names of an /etc/hosts line. */
export type Resolution = { ips: string[]; name: string; aliases?: string[] } | { error: 'notfound' | 'timeout' };

export function isIPv4(s: string): boolean {
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s) && s.split('.').every((o) => Number(o) <= 255);
}

export function searchList(ctx: ProcCtx): string[] {
  const conf = ctx.self.file('/etc/resolv.conf') ?? '';
  const line = conf.split('\n').find((l) => l.startsWith('search '));
  return line ? line.slice(7).trim().split(/\s+/) : [];
}

/** The first /etc/hosts line naming `name` for this family (glibc nss_files: h_name is the line's first name). */
export function hostsFile(ctx: ProcCtx, name: string, family: 4 | 6 = 4): { ips: string[]; name: string; aliases: string[] } | undefined {
  for (const line of (ctx.self.file('/etc/hosts') ?? '').split('\n')) {
    const [ip, first, ...rest] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!ip || !first || (family === 4 ? !isIPv4(ip) : !ip.includes(':'))) continue;
    if (first === name || rest.includes(name)) return { ips: [ip], name: first, aliases: rest };
  }
  return undefined;
}

/** The names getaddrinfo would query, in order. */
export function candidates(ctx: ProcCtx, name: string, ndots = 5): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = searchList(ctx).map((d) => `${name}.${d}`);
  return dots >= ndots ? [name, ...searched] : [...searched, name];
}

export function resolveHost(ctx: ProcCtx, name: string): Resolution {
  if (isIPv4(name)) return { ips: [name], name };
  const fromHosts = hostsFile(ctx, name);
  if (fromHosts) return fromHosts;
  for (const candidate of candidates(ctx, name)) {
    const reply = ctx.sys.query(ctx.self, candidate, 'A');
    if (reply.rcode === 'TIMEOUT') return { error: 'timeout' };
    const ips = reply.answers.filter((a) => a.type === 'A').map((a) => a.data);
    if (ips.length) return { ips, name: candidate };
  }
  return { error: 'notfound' };
}
