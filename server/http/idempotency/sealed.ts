// Stored answers are sealed with a key only the caller holds: an HMAC of the caller's
// own secret (their bearer token or session cookie) and the Idempotency-Key. Answers
// can carry secrets shown once (a new API key, a class's join link), and the database
// must never hold those in the clear; sealing keeps replay possible for the one caller
// who could have read the answer anyway, and nobody else.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(callerSecret: string, idempotencyKey: string): Buffer {
  return createHmac('sha256', callerSecret).update(`kubelab idempotency v1\n${idempotencyKey}`, 'utf8').digest();
}

export function seal(callerSecret: string, idempotencyKey: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(callerSecret, idempotencyKey), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The plaintext, or undefined when this secret did not seal it (or the row was altered). */
export function unseal(callerSecret: string, idempotencyKey: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(callerSecret, idempotencyKey), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
