// SSRF guard: a webhook URL is the one place where a user makes the server open a
// connection of their choosing, so addresses inside the host or its network (loopback,
// private, link-local — cloud metadata lives at 169.254.169.254 — CGNAT, multicast...)
// are refused unless the admin allows them (KUBELAB_WEBHOOKS_ALLOW_PRIVATE=1). It checks
// the addresses DNS gives, when the endpoint is saved AND at each send; the send
// connects to exactly the address it checked (http's `lookup` hook), so a name that
// rebinds to 127.0.0.1 after the first check is still refused.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to (dns.lookup with all: true fits). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96], ['100::', 64],
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** true for an address a webhook may not reach without the admin's leave. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  // IPv4-mapped (::ffff:127.0.0.1) reaches the IPv4 address: judge that one.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
}

/** The URL's host as an address (brackets of IPv6 literals removed), or undefined for a name. */
function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/**
 * The addresses `url`'s host stands for, after the guard: throws RefusedAddressError when
 * one is private and that is not allowed, or when the name does not resolve.
 */
export async function checkedAddresses(url: URL, resolve: Resolve, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  const literal = literalAddress(url.hostname);
  let addresses: ResolvedAddress[];
  if (literal !== undefined) {
    addresses = [{ address: literal, family: isIP(literal) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(url.hostname);
    } catch (error) {
      throw new RefusedAddressError(`${url.hostname} does not resolve: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (addresses.length === 0) throw new RefusedAddressError(`${url.hostname} does not resolve`);
  }
  if (!allowPrivate) {
    const inside = addresses.find((a) => isPrivateAddress(a.address));
    if (inside) {
      throw new RefusedAddressError(
        `${url.hostname} is a loopback, private or link-local address (${inside.address}); an admin may allow those with KUBELAB_WEBHOOKS_ALLOW_PRIVATE=1`,
      );
    }
  }
  return addresses;
}
