// ClusterIP and NodePort allocation. The allocator derives "used" from the Services in
// the store, so a deleted Service's IP is free again at once and a refused create
// leaks nothing. Dynamic IPs come from the upper band of 10.96.0.0/12 (the lower 256
// addresses are kept for static choices like 10.96.0.1 and 10.96.0.10).
// Source: pkg/registry/core/service/ipallocator/bitmap.go (NewAllocatorCIDRRange, offset),
//         pkg/registry/core/service/portallocator

import type { Rng } from '../../core/clock.ts';
import type { Store } from '../../core/store.ts';
import { arr, at, num, recs, str } from '../util/obj.ts';

export const SERVICE_CIDR = '10.96.0.0/12';
const BASE = ipToInt('10.96.0.0');
const SIZE = 1 << 20;
const STATIC_BAND = 256;
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(s: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255 && String(Number(p)) === p);
}

/** Network and broadcast addresses are never handed out. */
export function inServiceRange(ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const n = ipToInt(ip);
  return n > BASE && n < BASE + SIZE - 1;
}

function svcKey(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ''}/${name ?? ''}`;
}

/** IPs held by Services other than `except` ("ns/name"). */
export function usedClusterIPs(store: Store, except?: string): Set<string> {
  const used = new Set<string>();
  for (const svc of store.scan('services')) {
    if (svcKey(svc.metadata.namespace, svc.metadata.name) === except) continue;
    for (const ip of arr(at(svc, 'spec', 'clusterIPs'))) if (typeof ip === 'string' && ip !== 'None') used.add(ip);
    const single = str(at(svc, 'spec', 'clusterIP'));
    if (single && single !== 'None') used.add(single);
  }
  return used;
}

export function allocateClusterIP(store: Store, rng: Rng): string {
  const used = usedClusterIPs(store);
  // Random probe first (as the bitmap allocator does), then a linear scan from there.
  const span = SIZE - STATIC_BAND - 1;
  const start = Math.floor(rng.next() * span);
  for (let i = 0; i < span; i++) {
    const ip = intToIp(BASE + STATIC_BAND + ((start + i) % span));
    if (!used.has(ip)) return ip;
  }
  throw new Error('range is full');
}

export function usedNodePorts(store: Store, except?: string): Set<number> {
  const used = new Set<number>();
  for (const svc of store.scan('services')) {
    if (svcKey(svc.metadata.namespace, svc.metadata.name) === except) continue;
    for (const p of recs(at(svc, 'spec', 'ports'))) {
      const np = num(p.nodePort);
      if (np) used.add(np);
    }
  }
  return used;
}

export function allocateNodePort(used: Set<number>, rng: Rng): number {
  const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const start = Math.floor(rng.next() * span);
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_MIN + ((start + i) % span);
    if (!used.has(port)) {
      used.add(port);
      return port;
    }
  }
  throw new Error('range is full');
}

export { svcKey };
