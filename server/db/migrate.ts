// Numbered SQL migrations (`NNNN_name.sql` beside this file), applied in order inside
// one transaction and recorded in schema_migrations, so a half-applied schema never
// exists and running them again changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { packagePath } from '../paths/package-root.ts';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';

export const MIGRATIONS_DIR = packagePath('server', 'db', 'migrations') + path.sep;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations on disk, checked to be numbered 1, 2, 3… without gaps. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file): Migration => {
      const match = FILE.exec(file);
      if (match?.[1] === undefined || match[2] === undefined) {
        throw new Error(`migration file ${file}: expected a name like 0001_init.sql`);
      }
      return { version: Number(match[1]), name: match[2], sql: readFileSync(path.join(dir, file), 'utf8') };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.version}_${m.name}: expected number ${i + 1}`);
  });
  return migrations;
}

const AppliedRow = z.object({ version: z.number().int() });

/** Applies pending migrations; returns the versions it applied (empty when up to date). */
export function migrate(sqlite: Database.Database, migrations: readonly Migration[], now: () => number): number[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const record = sqlite.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const listApplied = sqlite.prepare('SELECT version FROM schema_migrations');
  // IMMEDIATE takes the write lock before reading what is applied, so two processes
  // opening one fresh database cannot both apply the same migration.
  const pending = sqlite
    .transaction(() => {
      const applied = new Set(listApplied.all().map((row) => AppliedRow.parse(row).version));
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        // Migrated by a newer kubelab: running older code on it is unsafe.
        throw new Error(`database has migrations this version does not know: ${unknown.join(', ')}`);
      }
      const todo = migrations.filter((m) => !applied.has(m.version));
      for (const m of todo) {
        sqlite.exec(m.sql);
        record.run(m.version, m.name, now());
      }
      return todo;
    })
    .immediate();
  return pending.map((m) => m.version);
}
