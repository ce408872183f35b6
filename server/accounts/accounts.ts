// Who may see and change which accounts, in one place for the API, the instructor pages
// and `kubelab users`. Admins (and the server's shell) reach everyone; an instructor
// reaches only learners in classes they own, and everyone else is "not found" to them,
// so the answer does not tell whether such a user exists. Each change and its audit
// entry are one transaction, and audit details never hold a secret.
import type { Db } from '../db/database.ts';
import { NotFoundError } from '../db/errors.ts';
import type { ApiToken } from '../db/tokens.ts';
import type { Role, User, UserWithActivity } from '../db/users.ts';

/** Who acts: a signed-in user (API or page), or the server's shell (`kubelab users`). */
export type Actor =
  | { readonly user: { readonly id: number; readonly role: Role }; readonly via: 'api' | 'web' }
  | { readonly user: null; readonly via: 'cli' };

export const CLI_ACTOR: Actor = { user: null, via: 'cli' };

/** A change the rules forbid (409): the last admin, or one's own account. */
export class AccountRuleError extends Error {
  override readonly name = 'AccountRuleError';
  readonly rule: 'last_admin' | 'own_account';
  constructor(rule: AccountRuleError['rule'], message: string) {
    super(message);
    this.rule = rule;
  }
}

/** An action this actor's role may not take at all (403), e.g. an instructor changing a role. */
export class AccountForbiddenError extends Error {
  override readonly name = 'AccountForbiddenError';
}

const userTarget = (id: number) => `user:${id}`;
const tokenTarget = (id: number) => `token:${id}`;

export class Accounts {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The users the actor may manage, by id, a page at a time. */
  list(actor: Actor, page: { after: number; limit: number }): UserWithActivity[] {
    const learnersOf = this.#reachAll(actor) ? undefined : staff(actor).id;
    return this.#db.users.page({ ...page, learnersOf });
  }

  /** One user the actor may manage; anyone else is NotFoundError. */
  user(actor: Actor, userId: number): UserWithActivity {
    this.#reachable(actor, userId);
    return this.#db.users.selectWithActivity(userId);
  }

  /** A user's API tokens, oldest first (metadata only: the secrets were never stored). */
  tokens(actor: Actor, userId: number): ApiToken[] {
    this.#reachable(actor, userId);
    return this.#db.tokens.listForUser(userId);
  }

  /** Both changes of one request, all or nothing (a role change, then the switch). */
  update(actor: Actor, userId: number, change: { role?: Role | undefined; disabled?: boolean | undefined }): User {
    return this.#db.transaction(() => {
      let user = this.#reachable(actor, userId);
      if (change.role !== undefined) user = this.setRole(actor, userId, change.role);
      if (change.disabled !== undefined) user = this.setDisabled(actor, userId, change.disabled);
      return user;
    });
  }

  /** Admins only. Nobody changes their own role, and the last active admin stays one. */
  setRole(actor: Actor, userId: number, role: Role): User {
    if (actor.user !== null && actor.user.role !== 'admin') throw new AccountForbiddenError('only admins change roles');
    const db = this.#db;
    return db.transaction(() => {
      const user = this.#reachable(actor, userId);
      if (user.role === role) return user;
      if (actor.user?.id === userId) throw new AccountRuleError('own_account', 'you cannot change your own role: ask another admin');
      if (user.role === 'admin' && user.disabledAt === null && db.users.countActiveAdmins() <= 1) {
        throw new AccountRuleError('last_admin', `${user.displayName} is the last active admin: make someone else admin first`);
      }
      const changed = db.users.setRole(userId, role);
      db.audit.record({ actorUserId: actor.user?.id ?? null, action: 'user.role', target: userTarget(userId), details: { via: actor.via, from: user.role, to: role } });
      return changed;
    });
  }

  /**
   * Switches an account off (its sessions end now and its tokens open nothing while it
   * is off) or on again. Nobody disables themselves, and the last active admin stays on.
   */
  setDisabled(actor: Actor, userId: number, disabled: boolean): User {
    const db = this.#db;
    return db.transaction(() => {
      const user = this.#reachable(actor, userId);
      if ((user.disabledAt !== null) === disabled) return user;
      if (disabled && actor.user?.id === userId) throw new AccountRuleError('own_account', 'you cannot disable your own account');
      if (disabled && user.role === 'admin' && db.users.countActiveAdmins() <= 1) {
        throw new AccountRuleError('last_admin', `${user.displayName} is the last active admin: make someone else admin first`);
      }
      const changed = db.users.setDisabled(userId, disabled);
      // Ended, not just refused: enabling the account later must not revive a stolen cookie.
      const sessionsEnded = disabled ? db.sessions.endAllForUser(userId) : 0;
      db.audit.record({
        actorUserId: actor.user?.id ?? null,
        action: disabled ? 'user.disable' : 'user.enable',
        target: userTarget(userId),
        details: disabled ? { via: actor.via, sessionsEnded } : { via: actor.via },
      });
      return changed;
    });
  }

  /**
   * Revokes a token of a user the actor may manage (of `ownerId`, when given); any other
   * token is NotFoundError. Revoking twice keeps the first time and one audit entry.
   */
  revokeToken(actor: Actor, tokenId: number, ownerId?: number): ApiToken {
    const db = this.#db;
    return db.transaction(() => {
      const token = db.tokens.selectOptional(tokenId);
      if (token === undefined || (ownerId !== undefined && token.userId !== ownerId) || !this.#canReach(actor, token.userId)) {
        throw new NotFoundError('api token', tokenId);
      }
      if (token.revokedAt !== null) return token;
      const revoked = db.tokens.revoke(tokenId);
      // The token's label and owner identify it; its secret was never stored.
      db.audit.record({ actorUserId: actor.user?.id ?? null, action: 'token.revoke', target: tokenTarget(tokenId), details: { via: actor.via, owner: token.userId, name: token.name } });
      return revoked;
    });
  }

  #reachAll(actor: Actor): boolean {
    return actor.user === null || actor.user.role === 'admin';
  }

  #canReach(actor: Actor, userId: number): boolean {
    if (this.#db.users.selectOptional(userId) === undefined) return false;
    return this.#reachAll(actor) || this.#db.users.isLearnerOf(staff(actor).id, userId);
  }

  #reachable(actor: Actor, userId: number): User {
    if (!this.#canReach(actor, userId)) throw new NotFoundError('user', userId);
    return this.#db.users.select(userId);
  }
}

/** The instructor acting; learners never get this far (the routes answer 403 first), but say so if one does. */
function staff(actor: Actor): { id: number; role: Role } {
  if (actor.user === null) throw new Error('the shell reaches every account');
  if (actor.user.role === 'learner') throw new AccountForbiddenError('learners do not manage accounts');
  return actor.user;
}

/** What a token's state is now: one word for tables and the API. */
export function tokenStatus(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && token.expiresAt <= now) return 'expired';
  return 'active';
}
