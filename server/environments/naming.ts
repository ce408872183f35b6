// Namespace names and owner labels come from hashes, never from learner-controlled
// text: a learner id or display name can hold anything, a DNS label cannot.
import { createHash, createHmac } from 'node:crypto';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PREFIX = 'kl';
const EXERCISE_PART_MAX = 20;
/** 64 bits: a collision among distinct learners is astronomically unlikely, and the owner label check catches it anyway. */
const HASH_CHARS = 16;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** The owner label value: a hash of the user id, so labels never reveal who owns a namespace. */
export function ownerHash(userId: number | string): string {
  return sha256(`kubelab-owner\u0000${userId}`).slice(0, HASH_CHARS);
}

/**
 * `kl-<exercise prefix>-<HMAC of learner and exercise>`, at most 40 characters.
 * The exercise part is only for humans reading `kubectl get ns`; uniqueness comes from
 * the hash, which covers the full exercise id (two ids may share a prefix). The HMAC is
 * keyed with the installation's secret salt (db.installation), so a learner who knows
 * another's user id still cannot compute their namespace.
 */
export function namespaceFor(userId: number | string, exerciseId: string, salt: string): string {
  if (!isDnsLabel(exerciseId)) throw new Error(`exercise id ${JSON.stringify(exerciseId)} is not a DNS-1123 label`);
  if (salt.length < 32) throw new Error('the namespace salt must be at least 32 characters');
  const readable = exerciseId.slice(0, EXERCISE_PART_MAX).replace(/-+$/, '');
  const hash = createHmac('sha256', salt).update(`kubelab-namespace\u0000${userId}\u0000${exerciseId}`, 'utf8').digest('hex').slice(0, HASH_CHARS);
  return `${PREFIX}-${readable}-${hash}`;
}

/** ClusterRoleBinding giving one environment's ServiceAccount read access to nodes. */
export function nodeReaderBindingFor(namespace: string): string {
  return `kubelab-node-reader-${namespace}`;
}
