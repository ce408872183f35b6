// Who may make, see and revoke service API keys, in one place for the API and
// `kubelab api-keys`. An admin makes server-wide keys or keys for any class; an
// instructor makes keys only for classes they own and sees only those (any other key is
// "not found", like a missing one); learners and keys themselves manage none (the
// routes refuse them). Each change and its audit entry are one transaction; the audit
// entry names the key, never its secret.
import type { Actor } from '../accounts/accounts.ts';
import { ClassNotFoundError } from '../classes/service.ts';
import type { ApiKey, ApiKeyScope, CreatedApiKey } from '../db/api-keys.ts';
import type { Db } from '../db/database.ts';
import { NotFoundError } from '../db/errors.ts';
import { ForbiddenError } from '../http/errors.ts';

export interface NewKeyRequest {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** null: the whole server (admins only). */
  readonly classId: number | null;
  /** Whose standing the key carries; defaults to the acting user (the shell must name one). */
  readonly madeBy?: number;
}

const keyTarget = (id: number) => `api-key:${id}`;

export class ApiKeys {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  create(actor: Actor, request: NewKeyRequest): CreatedApiKey {
    const makerId = request.madeBy ?? actor.user?.id;
    if (makerId === undefined) throw new Error('a key needs a maker: name the user whose standing it carries');
    const maker = this.#db.users.select(makerId);
    if (maker.role === 'learner') throw new ForbiddenError('only instructors and admins make API keys');
    if (request.classId === null) {
      if (maker.role !== 'admin') throw new ForbiddenError('only an admin can make a server-wide key: give the classId of a class you teach');
    } else {
      const klass = this.#db.classes.selectOptional(request.classId);
      if (klass === undefined || (maker.role !== 'admin' && klass.ownerUserId !== maker.id)) throw new ClassNotFoundError();
    }
    return this.#db.transaction(() => {
      const made = this.#db.apiKeys.create({ name: request.name, scopes: request.scopes, classId: request.classId, createdByUserId: maker.id });
      this.#db.audit.record({
        actorUserId: actor.user?.id ?? null,
        action: 'api_key.create',
        target: keyTarget(made.key.id),
        details: { via: actor.via, name: made.key.name, scopes: [...made.key.scopes], classId: made.key.classId, madeBy: maker.id },
      });
      return made;
    });
  }

  /** Keys this actor may see, by id, after `afterId`. */
  list(actor: Actor, page: { afterId: number; limit: number }): ApiKey[] {
    const ownerOnly = actor.user !== null && actor.user.role !== 'admin' ? actor.user.id : undefined;
    return this.#db.apiKeys.page({ ...page, ...(ownerOnly !== undefined ? { classOwnerId: ownerOnly } : {}) });
  }

  get(actor: Actor, keyId: number): ApiKey {
    const key = this.#db.apiKeys.select(keyId);
    if (actor.user === null || actor.user.role === 'admin') return key;
    const klass = key.classId === null ? undefined : this.#db.classes.selectOptional(key.classId);
    if (klass === undefined || klass.ownerUserId !== actor.user.id) throw new NotFoundError('api key', keyId);
    return key;
  }

  /** Stops the key at once; revoking twice keeps the first time (and audits once). */
  revoke(actor: Actor, keyId: number): ApiKey {
    const key = this.get(actor, keyId);
    if (key.revokedAt !== null) return key;
    return this.#db.transaction(() => {
      const revoked = this.#db.apiKeys.revoke(keyId);
      this.#db.audit.record({ actorUserId: actor.user?.id ?? null, action: 'api_key.revoke', target: keyTarget(keyId), details: { via: actor.via, name: key.name } });
      return revoked;
    });
  }
}
