// One `kubelab serve` per data directory. Two servers on one directory would each
// reconcile the cluster against the same records, and the embedded cluster's state
// file can only have one owner. The lock is an SQLite exclusive lock (an fcntl lock
// under the hood): the operating system drops it when the process dies, however it
// dies, so a crash never leaves a stale lock behind, and pid reuse cannot fool it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';

const LOCK_FILE = 'serve.lock';
/** Who holds the lock, for the message the next one prints (plain JSON: readable while locked). */
const OWNER_FILE = 'serve.owner.json';

const Owner = z.object({ pid: z.number().int(), startedAt: z.string(), port: z.number().int().optional() });
type Owner = z.infer<typeof Owner>;

export class DataDirBusyError extends Error {
  override readonly name = 'DataDirBusyError';
}

export interface DataDirLock {
  /** Record the port once known, for the message a second server prints. */
  setPort(port: number): void;
  release(): void;
}

export function lockDataDir(dataDir: string, now: () => number = Date.now): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lock = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the write lock taken below until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT); DELETE FROM held; INSERT INTO held VALUES (datetime()); COMMIT;');
  } catch (error) {
    lock.close();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) {
      throw new DataDirBusyError(busyMessage(dataDir), { cause: error });
    }
    throw error;
  }
  const ownerFile = path.join(dataDir, OWNER_FILE);
  const owner: Owner = { pid: process.pid, startedAt: new Date(now()).toISOString() };
  writeFileSync(ownerFile, JSON.stringify(owner));
  return {
    setPort(port) {
      writeFileSync(ownerFile, JSON.stringify({ ...owner, port }));
    },
    release() {
      if (lock.open) lock.close();
    },
  };
}

function busyMessage(dataDir: string): string {
  const owner = readOwner(path.join(dataDir, OWNER_FILE));
  const who = owner
    ? `kubelab serve (pid ${owner.pid}, started ${owner.startedAt}${owner.port !== undefined ? `, port ${owner.port}` : ''})`
    : 'kubelab serve';
  return `another ${who} is using the data directory ${dataDir}; stop it first, or give this one its own KUBELAB_DATA_DIR`;
}

function readOwner(file: string): Owner | undefined {
  try {
    const parsed = Owner.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
