// Per-installation secrets (migration 0004): one row, created with the schema.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id } from './columns.ts';

export const InstallationRow = z.object({
  id,
  namespace_salt: z.string().regex(/^[0-9a-f]{64}$/),
});

export class InstallationRepo {
  /** Keys the namespace-name HMAC; read once, it never changes. */
  readonly namespaceSalt: string;

  constructor(sqlite: Database.Database) {
    this.namespaceSalt = InstallationRow.parse(sqlite.prepare('SELECT * FROM installation WHERE id = 1').get()).namespace_salt;
  }
}
