import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';

export const ROLES = ['learner', 'instructor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** A row of `users`, exactly as stored. */
export const UserRow = z.object({
  id,
  external_key: z.string().min(1),
  display_name: z.string(),
  email: z.string().nullable(),
  role: Role,
  created_at: timestamp,
});

const parseUser = UserRow.transform((r) => ({
  id: r.id,
  externalKey: r.external_key,
  displayName: r.display_name,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
}));
export type User = z.output<typeof parseUser>;

export interface NewUser {
  /** Identity outside kubelab, e.g. `local:alice` or `lti:<iss>#<sub>`. */
  readonly externalKey: string;
  readonly displayName: string;
  readonly email?: string | null;
  readonly role: Role;
}

export class UsersRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byKey: Database.Statement;
  readonly #all: Database.Statement;
  readonly #upsert: Database.Statement;
  readonly #setRole: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO users (external_key, display_name, email, role, created_at)
       VALUES (@externalKey, @displayName, @email, @role, @now) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM users WHERE id = ?');
    this.#byKey = sqlite.prepare('SELECT * FROM users WHERE external_key = ?');
    this.#all = sqlite.prepare('SELECT * FROM users ORDER BY id');
    // Launches re-announce who a user is: name and email follow the platform, while
    // the role is left alone (changing it is an explicit act, see setRole).
    this.#upsert = sqlite.prepare(
      `INSERT INTO users (external_key, display_name, email, role, created_at)
       VALUES (@externalKey, @displayName, @email, @role, @now)
       ON CONFLICT (external_key) DO UPDATE SET
         display_name = excluded.display_name,
         email = excluded.email
       RETURNING *`,
    );
    this.#setRole = sqlite.prepare('UPDATE users SET role = ? WHERE id = ? RETURNING *');
  }

  create(user: NewUser): User {
    return parseUser.parse(this.#insert.get(this.#params(user)));
  }

  /** Creates the user, or refreshes name and email of the one with that external key. */
  upsertByExternalKey(user: NewUser): User {
    return parseUser.parse(this.#upsert.get(this.#params(user)));
  }

  select(userId: number): User {
    const user = this.selectOptional(userId);
    if (user === undefined) throw new NotFoundError('user', userId);
    return user;
  }

  selectOptional(userId: number): User | undefined {
    const row = this.#byId.get(userId);
    return row === undefined ? undefined : parseUser.parse(row);
  }

  selectByExternalKey(externalKey: string): User {
    const user = this.selectOptionalByExternalKey(externalKey);
    if (user === undefined) throw new NotFoundError('user', externalKey);
    return user;
  }

  selectOptionalByExternalKey(externalKey: string): User | undefined {
    const row = this.#byKey.get(externalKey);
    return row === undefined ? undefined : parseUser.parse(row);
  }

  list(): User[] {
    return this.#all.all().map((row) => parseUser.parse(row));
  }

  setRole(userId: number, role: Role): User {
    const row = this.#setRole.get(role, userId);
    if (row === undefined) throw new NotFoundError('user', userId);
    return parseUser.parse(row);
  }

  #params(user: NewUser) {
    return {
      externalKey: user.externalKey,
      displayName: user.displayName,
      email: user.email ?? null,
      role: user.role,
      now: this.#now(),
    };
  }
}
