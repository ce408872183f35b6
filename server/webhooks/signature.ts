// Standard Webhooks signing (https://www.standardwebhooks.com/): the signed content is
// "<webhook-id>.<webhook-timestamp>.<body>", HMAC-SHA256 under the base64-decoded part
// of a `whsec_` secret, sent as `v1,<base64>`; several signatures are space separated
// (how a receiver keeps verifying across a secret rotation).
import { createHmac } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A fresh secret: 32 random bytes, the size the spec recommends (24–64). */
export function newSecret(randomBytes: (size: number) => Buffer): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** The three headers for one send; one signature per secret still valid. */
export function signedHeaders(secrets: readonly string[], messageId: string, nowMs: number, body: string): SignedHeaders {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => sign(s, messageId, timestamp, body)).join(' '),
  };
}
