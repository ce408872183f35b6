// A service key as an API caller. A key acts with the standing of whoever made it,
// narrowed by its scopes and (for a class key) its class, and only while that standing
// lasts: a disabled maker, an admin no longer admin, or an instructor who no longer
// owns the class leaves the key unable to authenticate. So a key can never do more
// than its maker could, and revoking the person revokes their integrations.
import type { Db } from '../../db/database.ts';
import type { Caller } from '../routes/environments-auth.ts';

export function apiKeyCaller(db: Db, plaintext: string): Caller | undefined {
  const key = db.apiKeys.authenticate(plaintext);
  if (key === undefined) return undefined;
  const maker = db.users.selectOptional(key.createdByUserId);
  if (maker === undefined || maker.disabledAt !== null || maker.role === 'learner') return undefined;
  if (key.classId === null) {
    if (maker.role !== 'admin') return undefined;
  } else {
    const klass = db.classes.selectOptional(key.classId);
    if (klass === undefined || (maker.role !== 'admin' && klass.ownerUserId !== maker.id)) return undefined;
  }
  return {
    id: maker.id,
    role: maker.role,
    apiKey: { id: key.id, scopes: key.scopes, classId: key.classId },
    credential: `api-key:${key.id}`,
  };
}
