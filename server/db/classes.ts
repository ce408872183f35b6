// Classes: an instructor's group of learners, joined by a shareable link. The join
// code is a secret of the link kind: stored only as sha256 and shown when created or
// rotated, so a leaked database does not let anyone join.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';
import { hashToken } from './tokens.ts';

/** Join codes are short enough to type from a projector, long enough not to guess. */
export const JoinCode = z.string().regex(/^[A-Za-z0-9_-]{12,64}$/, 'expected a join code of 12 to 64 letters, digits, - or _');

/** A row of `classes`, exactly as stored. */
export const ClassRow = z.object({
  id,
  name: z.string().min(1),
  owner_user_id: id,
  exercise_ids: jsonText(z.array(z.string())),
  due_at: timestamp.nullable(),
  env_ttl_ms: z.number().int().positive().nullable(),
  join_code_hash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  join_open: z.number().int().min(0).max(1),
  created_at: timestamp,
});

const parseClass = ClassRow.transform((r) => ({
  id: r.id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  exerciseIds: r.exercise_ids,
  dueAt: r.due_at,
  environmentTtlMs: r.env_ttl_ms,
  joinOpen: r.join_open === 1,
  createdAt: r.created_at,
}));
export type Class = z.output<typeof parseClass>;

/** A row of `class_members`, exactly as stored. */
export const ClassMemberRow = z.object({ class_id: id, user_id: id, joined_at: timestamp });

/** A member of a class as the roster shows them. */
export const MemberRow = z.object({ user_id: id, display_name: z.string(), role: z.string(), joined_at: timestamp });
const parseMember = MemberRow.transform((r) => ({ userId: r.user_id, displayName: r.display_name, role: r.role, joinedAt: r.joined_at }));
export type ClassMember = z.output<typeof parseMember>;

const TtlRow = z.object({ ttl: z.number().int().positive().nullable() });

export interface ClassChanges {
  readonly name?: string;
  readonly exerciseIds?: readonly string[];
  readonly dueAt?: number | null;
  readonly environmentTtlMs?: number | null;
  readonly joinOpen?: boolean;
}

export interface NewClass {
  readonly name: string;
  readonly ownerUserId: number;
  readonly exerciseIds: readonly string[];
  readonly dueAt?: number | null;
  readonly environmentTtlMs?: number | null;
}

export class ClassesRepo {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byCode: Database.Statement;
  readonly #setCode: Database.Statement;
  readonly #join: Database.Statement;
  readonly #forMember: Database.Statement;
  readonly #forOwner: Database.Statement;
  readonly #all: Database.Statement;
  readonly #members: Database.Statement;
  readonly #isMember: Database.Statement;
  readonly #update: Database.Statement;
  readonly #ttlFor: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#insert = sqlite.prepare(
      `INSERT INTO classes (name, owner_user_id, exercise_ids, due_at, env_ttl_ms, join_code_hash, join_open, created_at)
       VALUES (@name, @ownerUserId, @exerciseIds, @dueAt, @ttl, @hash, 1, @now) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM classes WHERE id = ?');
    this.#byCode = sqlite.prepare('SELECT * FROM classes WHERE join_code_hash = ?');
    this.#setCode = sqlite.prepare('UPDATE classes SET join_code_hash = ?, join_open = ? WHERE id = ? RETURNING *');
    this.#join = sqlite.prepare(
      `INSERT INTO class_members (class_id, user_id, joined_at) VALUES (?, ?, ?)
       ON CONFLICT (class_id, user_id) DO NOTHING`,
    );
    this.#forOwner = sqlite.prepare('SELECT * FROM classes WHERE owner_user_id = ? ORDER BY id DESC');
    this.#all = sqlite.prepare('SELECT * FROM classes ORDER BY id DESC');
    this.#members = sqlite.prepare(
      `SELECT m.user_id, u.display_name, u.role, m.joined_at FROM class_members m JOIN users u ON u.id = m.user_id
       WHERE m.class_id = ? ORDER BY u.display_name COLLATE NOCASE, m.user_id`,
    );
    this.#isMember = sqlite.prepare('SELECT 1 AS yes FROM class_members WHERE class_id = ? AND user_id = ?');
    // Only the columns named in the change move; the rest keep their values.
    this.#update = sqlite.prepare(
      `UPDATE classes SET
         name = CASE WHEN @setName THEN @name ELSE name END,
         exercise_ids = CASE WHEN @setExercises THEN @exerciseIds ELSE exercise_ids END,
         due_at = CASE WHEN @setDue THEN @dueAt ELSE due_at END,
         env_ttl_ms = CASE WHEN @setTtl THEN @ttl ELSE env_ttl_ms END,
         join_open = CASE WHEN @setOpen THEN @joinOpen ELSE join_open END
       WHERE id = @id RETURNING *`,
    );
    // The longest lifetime any of the learner's classes gives this exercise.
    this.#ttlFor = sqlite.prepare(
      `SELECT max(c.env_ttl_ms) AS ttl FROM classes c JOIN class_members m ON m.class_id = c.id
       WHERE m.user_id = ? AND c.env_ttl_ms IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(c.exercise_ids) WHERE value = ?)`,
    );
    this.#forMember = sqlite.prepare(
      `SELECT c.* FROM classes c JOIN class_members m ON m.class_id = c.id WHERE m.user_id = ? ORDER BY c.id`,
    );
  }

  /** Creates a class with an open join link; the code is returned here only. */
  create(input: NewClass): { joinCode: string; class: Class } {
    const joinCode = this.#newCode();
    const row = this.#insert.get({
      name: input.name,
      ownerUserId: input.ownerUserId,
      exerciseIds: JSON.stringify(input.exerciseIds),
      dueAt: input.dueAt ?? null,
      ttl: input.environmentTtlMs ?? null,
      hash: hashToken(joinCode),
      now: this.#now(),
    });
    return { joinCode, class: parseClass.parse(row) };
  }

  select(classId: number): Class {
    const found = this.selectOptional(classId);
    if (found === undefined) throw new NotFoundError('class', classId);
    return found;
  }

  selectOptional(classId: number): Class | undefined {
    const row = this.#byId.get(classId);
    return row === undefined ? undefined : parseClass.parse(row);
  }

  /** The class a join code opens, if the code is current and joining is open. */
  selectOpenByJoinCode(code: string): Class | undefined {
    if (!JoinCode.safeParse(code).success) return undefined;
    const row = this.#byCode.get(hashToken(code));
    if (row === undefined) return undefined;
    const found = parseClass.parse(row);
    return found.joinOpen ? found : undefined;
  }

  /** A new join code (the old link stops working); joining is opened. */
  rotateJoinCode(classId: number): { joinCode: string; class: Class } {
    const joinCode = this.#newCode();
    const row = this.#setCode.get(hashToken(joinCode), 1, classId);
    if (row === undefined) throw new NotFoundError('class', classId);
    return { joinCode, class: parseClass.parse(row) };
  }

  addMember(classId: number, userId: number): void {
    this.#join.run(classId, userId, this.#now());
  }

  listForMember(userId: number): Class[] {
    return this.#forMember.all(userId).map((row) => parseClass.parse(row));
  }

  listForOwner(ownerUserId: number): Class[] {
    return this.#forOwner.all(ownerUserId).map((row) => parseClass.parse(row));
  }

  listAll(): Class[] {
    return this.#all.all().map((row) => parseClass.parse(row));
  }

  members(classId: number): ClassMember[] {
    return this.#members.all(classId).map((row) => parseMember.parse(row));
  }

  isMember(classId: number, userId: number): boolean {
    return this.#isMember.get(classId, userId) !== undefined;
  }

  update(classId: number, changes: ClassChanges): Class {
    const row = this.#update.get({
      id: classId,
      setName: changes.name !== undefined ? 1 : 0,
      name: changes.name ?? null,
      setExercises: changes.exerciseIds !== undefined ? 1 : 0,
      exerciseIds: JSON.stringify(changes.exerciseIds ?? []),
      setDue: changes.dueAt !== undefined ? 1 : 0,
      dueAt: changes.dueAt ?? null,
      setTtl: changes.environmentTtlMs !== undefined ? 1 : 0,
      ttl: changes.environmentTtlMs ?? null,
      setOpen: changes.joinOpen !== undefined ? 1 : 0,
      joinOpen: changes.joinOpen ? 1 : 0,
    });
    if (row === undefined) throw new NotFoundError('class', classId);
    return parseClass.parse(row);
  }

  /** The environment lifetime the learner's classes set for this exercise, if any. */
  environmentTtlFor(userId: number, exerciseId: string): number | undefined {
    return TtlRow.parse(this.#ttlFor.get(userId, exerciseId)).ttl ?? undefined;
  }

  #newCode(): string {
    return this.#randomBytes(12).toString('base64url');
  }
}
