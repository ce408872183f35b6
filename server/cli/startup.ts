// What `serve` does to the database before taking requests.
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';

export const BOOTSTRAP_ADMIN_KEY = 'bootstrap:admin';

export interface StartupReport {
  readonly interruptedAttempts: number;
  readonly bootstrapAdmin: boolean;
}

export function prepareDatabase(db: Db, config: Config): StartupReport {
  return db.transaction(() => {
    // Grades in flight died with the previous process: say so instead of spinning forever.
    const interrupted = db.attempts.interruptUnfinished();
    for (const attempt of interrupted) {
      db.audit.record({ actorUserId: null, action: 'attempt.interrupt', target: `attempt:${attempt.id}`, details: { reason: 'server restart' } });
    }
    if (config.adminToken !== undefined) {
      const admin = db.users.upsertByExternalKey({ externalKey: BOOTSTRAP_ADMIN_KEY, displayName: 'Administrator', role: 'admin' });
      if (admin.role !== 'admin') db.users.setRole(admin.id, 'admin');
      db.tokens.importToken(admin.id, 'KUBELAB_ADMIN_TOKEN', config.adminToken, ['admin']);
    }
    return { interruptedAttempts: interrupted.length, bootstrapAdmin: config.adminToken !== undefined };
  });
}
