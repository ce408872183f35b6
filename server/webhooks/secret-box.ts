// Signing secrets at rest. We must be able to sign, so a hash will not do: each secret
// is sealed with AES-256-GCM under a key kept in its own file beside the database
// (mode 0600), so a leaked database copy or backup alone signs nothing. The plain
// secret leaves the server once, in the answer that created or rotated it.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SEALED = /^v1\.([A-Za-z0-9+/=]+)\.([A-Za-z0-9+/=]+)\.([A-Za-z0-9+/=]+)$/;
const KEY_FILE = 'webhook-secrets.key';

export class SecretBox {
  readonly #key: Buffer;
  readonly #randomBytes: (size: number) => Buffer;

  constructor(key: Buffer, randomBytes: (size: number) => Buffer) {
    if (key.length !== 32) throw new Error('a webhook secret key is 32 bytes');
    this.#key = key;
    this.#randomBytes = randomBytes;
  }

  seal(plain: string): string {
    const iv = this.#randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${sealed.toString('base64')}`;
  }

  open(sealed: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new Error('a sealed webhook secret is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(m[1]!, 'base64'));
    decipher.setAuthTag(Buffer.from(m[2]!, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(m[3]!, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** The data directory's key file, made on first use. */
export function secretBoxIn(dataDir: string, randomBytes: (size: number) => Buffer): SecretBox {
  const file = path.join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': if two processes race, the loser fails here instead of overwriting the key.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file}: expected 64 hex digits (the webhook secret key)`);
  return new SecretBox(Buffer.from(hex, 'hex'), randomBytes);
}
