// `kubelab users add NAME [--role learner|instructor|admin]`: the way to let someone in
// before an LMS does it (LTI): creates the user (or finds it) and prints a fresh API
// token once. Only its hash is stored, so a lost token means a new one.
import { loadConfig } from '../config/config.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

export interface AddUser {
  readonly name: string;
  /** Given: set it (also on an existing user). Absent: new users are learners, existing ones keep theirs. */
  readonly role?: 'learner' | 'instructor' | 'admin';
}

export async function addUser(io: Io, command: AddUser): Promise<number> {
  return withDataDatabase(io, loadConfig(io.env, { cwd: io.cwd }), (db) => {
    const { user, plaintext } = db.transaction(() => {
      const found = db.users.upsertByExternalKey({ externalKey: `local:${command.name}`, displayName: command.name, role: command.role ?? 'learner' });
      const current = command.role === undefined || found.role === command.role ? found : db.users.setRole(found.id, command.role);
      const token = db.tokens.createToken(current.id, 'cli', []);
      db.audit.record({ actorUserId: null, action: 'token.create', target: `user:${current.id}`, details: { via: 'cli', role: current.role } });
      return { user: current, plaintext: token.plaintext };
    });
    io.err(`user ${user.displayName} (${user.role}, id ${user.id}): API token below, shown once\n`);
    io.out(`${plaintext}\n`);
    return 0;
  });
}
