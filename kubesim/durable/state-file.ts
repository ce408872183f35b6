// The embedded cluster's durable state, in one SQLite file: what etcd and the control
// plane's PKI directory are to a real cluster. Every committed object with its
// resourceVersion, the last revision, and the cluster's identity (CA and serving
// certificate, admin token, token signing key, API port), so that after a restart the
// same objects are back and kubeconfigs handed out before keep working.
//
// WAL with synchronous=NORMAL: a commit survives the process being killed (it is in the
// OS's hands once write() returns); only a power loss can drop the last commits.
// EXCLUSIVE locking mode: one cluster per file; the OS drops the lock if the process dies.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type DatabaseType from 'better-sqlite3';
import { z } from 'zod';
import type { StoreBackend, StoreWrite } from '../core/store.ts';
import type { StoredObject } from '../core/types.ts';

// Required when a state file is opened, not when the module loads: `kubelab sim` without
// --state-file (and every test cluster) never needs SQLite, and loading it is part of start-up.
const require = createRequire(import.meta.url);
let Database: typeof DatabaseType | undefined;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  resource  TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  body      TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

export const ClusterIdentity = z.object({
  adminToken: z.string().min(16),
  /** HMAC key of ServiceAccount tokens, base64. */
  signingKey: z.string().min(16),
  caCert: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  cert: z.string().startsWith('-----BEGIN CERTIFICATE-----'),
  key: z.string().includes('PRIVATE KEY'),
  port: z.number().int().min(1).max(65535),
});
export type ClusterIdentity = z.infer<typeof ClusterIdentity>;

const ObjectRow = z.object({ resource: z.string(), body: z.string() });
const MetaRow = z.object({ value: z.string() });

/** The cluster cannot start for a reason its operator can fix (a sentence, no stack needed). */
export class ClusterStartError extends Error {
  override readonly name: string = 'ClusterStartError';
}

export interface StateFile extends StoreBackend {
  readonly file: string;
  /** Every kept object, and the revision the store continues from (0 for a new file). */
  load(): { revision: number; objects: { key: string; object: StoredObject }[] };
  identity(): ClusterIdentity | undefined;
  saveIdentity(identity: ClusterIdentity): void;
  close(): void;
}

export function openStateFile(file: string): StateFile {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  Database ??= require('better-sqlite3') as typeof DatabaseType;
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) {
      throw new ClusterStartError(`the embedded cluster's state file ${file} is in use by another process`, { cause: error });
    }
    throw error;
  }

  const upsert = db.prepare('INSERT INTO objects (resource, namespace, name, body) VALUES (?, ?, ?, ?) ON CONFLICT (resource, namespace, name) DO UPDATE SET body = excluded.body');
  const remove = db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const meta = (key: string): string | undefined => {
    const row = getMeta.get(key);
    return row === undefined ? undefined : MetaRow.parse(row).value;
  };
  // The object and the revision in one commit: a crash between them cannot happen.
  const write = db.transaction((change: StoreWrite, revision: number) => {
    if (change.type === 'put') {
      const { namespace = '', name } = change.object.metadata;
      upsert.run(change.key, namespace, name, JSON.stringify(change.object));
    } else {
      remove.run(change.key, change.namespace, change.name);
    }
    setMeta.run('revision', String(revision));
  });

  return {
    file,
    write: (change, revision) => write(change, revision),
    load() {
      const objects = db.prepare('SELECT resource, body FROM objects ORDER BY resource, namespace, name').all().map((row) => {
        const { resource, body } = ObjectRow.parse(row);
        return { key: resource, object: JSON.parse(body) as StoredObject };
      });
      return { revision: Number(meta('revision') ?? 0), objects };
    },
    identity() {
      const text = meta('identity');
      if (text === undefined) return undefined;
      const parsed = ClusterIdentity.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`the embedded cluster's state file ${file} holds an unreadable identity: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    },
    saveIdentity(identity) {
      setMeta.run('identity', JSON.stringify(ClusterIdentity.parse(identity)));
    },
    close() {
      if (db.open) db.close();
    },
  };
}
