// The pod-template-hash: FNV-32a of the Pod template (plus collisionCount), its
// decimal digits mapped through utilrand's alphabet (SafeEncodeString), which is why
// ReplicaSet names look like `web-7d4b9c8f6c`.
// Source: pkg/controller/controller_utils.go (ComputeHash), k8s.io/apimachinery/pkg/util/rand

import { stableJson } from '../util/obj.ts';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = stableJson(template) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}
