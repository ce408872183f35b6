// The tool's own RSA key pairs: what signs our client assertions (AGS tokens) and
// deep-linking responses. The newest unretired key signs; a rotated key stays in the
// published JWKS for a grace period, since platforms cache our JWKS and may still
// verify something it signed. The private half never leaves this file's class.
import type Database from 'better-sqlite3';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { id, jsonText, timestamp } from '../db/columns.ts';

export const SIGNING_ALG = 'RS256';
/** How long a retired key is still published (platforms cache JWKS for hours). */
export const RETIRED_KEY_GRACE_MS = 7 * 24 * 3600_000;

const PublicJwk = z.object({ kty: z.literal('RSA'), n: z.string(), e: z.string() }).loose();
export const KeyRow = z.object({
  id,
  kid: z.string().min(1),
  public_jwk: jsonText(PublicJwk),
  private_pem: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
  created_at: timestamp,
  retired_at: timestamp.nullable(),
});
type KeyRow = z.output<typeof KeyRow>;

/** A key as the admin API shows it: no private material. */
export interface ToolKeyView {
  readonly kid: string;
  readonly createdAt: number;
  readonly retiredAt: number | null;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

export class ToolKeys {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #current: Database.Statement;
  readonly #published: Database.Statement;
  readonly #retire: Database.Statement;
  /** kid → imported private key: importing PEM on every signature is wasted work. */
  readonly #imported = new Map<string, CryptoKey>();

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      'INSERT INTO lti_keys (kid, public_jwk, private_pem, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    );
    this.#current = sqlite.prepare('SELECT * FROM lti_keys WHERE retired_at IS NULL ORDER BY id DESC LIMIT 1');
    this.#published = sqlite.prepare('SELECT * FROM lti_keys WHERE retired_at IS NULL OR retired_at > ? ORDER BY id DESC');
    this.#retire = sqlite.prepare('UPDATE lti_keys SET retired_at = ? WHERE retired_at IS NULL');
  }

  /** The key that signs now, made on first use. */
  async signingKey(): Promise<SigningKey> {
    const row = this.#currentRow() ?? (await this.#create());
    let privateKey = this.#imported.get(row.kid);
    if (!privateKey) {
      privateKey = await importPKCS8(row.private_pem, SIGNING_ALG);
      this.#imported.set(row.kid, privateKey);
    }
    return { kid: row.kid, privateKey };
  }

  /** A new signing key; the old one is retired but published for the grace period. */
  async rotate(): Promise<ToolKeyView> {
    const made = await generate();
    const now = this.#now();
    // Retire and insert together: there is always exactly one signing key.
    const row = this.#insert.database.transaction(() => {
      this.#retire.run(now);
      return KeyRow.parse(this.#insert.get(made.kid, JSON.stringify(made.publicJwk), made.privatePem, now));
    }).immediate();
    return view(row);
  }

  /** The JWKS document served at the tool's public JWKS URL. */
  async jwks(): Promise<{ keys: JWK[] }> {
    if (!this.#currentRow()) await this.#create();
    const rows = this.#published.all(this.#now() - RETIRED_KEY_GRACE_MS).map((r) => KeyRow.parse(r));
    return { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid, alg: SIGNING_ALG, use: 'sig' })) };
  }

  /** The published keys, newest first, without their private halves. */
  list(): ToolKeyView[] {
    return this.#published.all(this.#now() - RETIRED_KEY_GRACE_MS).map((r) => view(KeyRow.parse(r)));
  }

  #currentRow(): KeyRow | undefined {
    const row = this.#current.get();
    return row === undefined ? undefined : KeyRow.parse(row);
  }

  async #create(): Promise<KeyRow> {
    const made = await generate();
    // Two first requests may both generate: the insert is cheap and the newest wins.
    return KeyRow.parse(this.#insert.get(made.kid, JSON.stringify(made.publicJwk), made.privatePem, this.#now()));
  }
}

function view(row: KeyRow): ToolKeyView {
  return { kid: row.kid, createdAt: row.created_at, retiredAt: row.retired_at };
}

async function generate(): Promise<{ kid: string; publicJwk: JWK; privatePem: string }> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // The RFC 7638 thumbprint: a kid that names exactly this key.
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, publicJwk, privatePem: await exportPKCS8(privateKey) };
}
