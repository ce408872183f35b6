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
  /** Set while an admin has switched the account off (0003_accounts). */
  disabled_at: timestamp.nullable(),
});

const parseUser = UserRow.transform((r) => ({
  id: r.id,
  externalKey: r.external_key,
  displayName: r.display_name,
  email: r.email,
  role: r.role,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
}));
export type User = z.output<typeof parseUser>;

const parseUserWithActivity = UserRow.extend({ last_seen_at: timestamp.nullable() }).transform((r) => ({
  ...parseUser.parse(r),
  lastSeenAt: r.last_seen_at,
}));
/** A user with the latest time one of their tokens or sessions was used, if ever. */
export type UserWithActivity = z.output<typeof parseUserWithActivity>;

const Count = z.object({ n: z.number().int().nonnegative() });

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
  readonly #setDisabled: Database.Statement;
  readonly #page: Database.Statement;
  readonly #pageOfLearnersOf: Database.Statement;
  readonly #withActivity: Database.Statement;
  readonly #isLearnerOf: Database.Statement;
  readonly #activeAdmins: Database.Statement;

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
    // Disabling twice keeps the first time; enabling clears it.
    this.#setDisabled = sqlite.prepare(
      `UPDATE users SET disabled_at = CASE WHEN @disabled THEN coalesce(disabled_at, @now) END
       WHERE id = @id RETURNING *`,
    );
    // Keyset pagination by id: stable while users are added, no OFFSET scan. Last seen
    // is the latest token use or session request, whichever is later (both are written
    // at most once a minute, so this is minute-precise).
    const withActivity = `SELECT u.*, nullif(max(
         coalesce((SELECT max(last_used_at) FROM api_tokens WHERE user_id = u.id), -1),
         coalesce((SELECT max(last_seen_at) FROM sessions WHERE user_id = u.id), -1)
       ), -1) AS last_seen_at
       FROM users u`;
    // An instructor's reach: learners in at least one class the instructor owns.
    const learnerOf = `u.role = 'learner' AND EXISTS (
         SELECT 1 FROM class_members m JOIN classes c ON c.id = m.class_id
         WHERE m.user_id = u.id AND c.owner_user_id = @owner)`;
    this.#page = sqlite.prepare(`${withActivity} WHERE u.id > @after ORDER BY u.id LIMIT @limit`);
    this.#pageOfLearnersOf = sqlite.prepare(`${withActivity} WHERE u.id > @after AND ${learnerOf} ORDER BY u.id LIMIT @limit`);
    this.#withActivity = sqlite.prepare(`${withActivity} WHERE u.id = ?`);
    this.#isLearnerOf = sqlite.prepare(`SELECT 1 AS yes FROM users u WHERE u.id = @user AND ${learnerOf}`);
    this.#activeAdmins = sqlite.prepare(`SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
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

  /** Switches the account off (its tokens and sessions stop working) or on again. */
  setDisabled(userId: number, disabled: boolean): User {
    const row = this.#setDisabled.get({ id: userId, disabled: disabled ? 1 : 0, now: this.#now() });
    if (row === undefined) throw new NotFoundError('user', userId);
    return parseUser.parse(row);
  }

  /**
   * Users by id after `after` (0 for the first page), with when each was last seen;
   * with `learnersOf`, only learners in a class that user owns.
   */
  page(options: { after: number; limit: number; learnersOf?: number | undefined }): UserWithActivity[] {
    const rows = options.learnersOf === undefined
      ? this.#page.all({ after: options.after, limit: options.limit })
      : this.#pageOfLearnersOf.all({ after: options.after, limit: options.limit, owner: options.learnersOf });
    return rows.map((row) => parseUserWithActivity.parse(row));
  }

  selectWithActivity(userId: number): UserWithActivity {
    const row = this.#withActivity.get(userId);
    if (row === undefined) throw new NotFoundError('user', userId);
    return parseUserWithActivity.parse(row);
  }

  /** Whether the user is a learner in at least one class `ownerId` owns. */
  isLearnerOf(ownerId: number, userId: number): boolean {
    return this.#isLearnerOf.get({ owner: ownerId, user: userId }) !== undefined;
  }

  /** Admins whose accounts are switched on. */
  countActiveAdmins(): number {
    return Count.parse(this.#activeAdmins.get()).n;
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
