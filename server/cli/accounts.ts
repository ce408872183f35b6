// `kubelab users list|tokens|revoke|disable|enable|role`: accounts from the server's shell.
// Whoever runs these can open the database file anyway, so the shell reaches every
// account; the rules that keep someone in charge (the last active admin) still hold, and
// every change is audited with a null actor and `via: cli`.
import { AccountRuleError, Accounts, CLI_ACTOR, tokenStatus } from '../accounts/accounts.ts';
import { loadConfig } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import { NotFoundError } from '../db/errors.ts';
import type { Role } from '../db/users.ts';
import { table } from './table.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

export type AccountCommand =
  | { readonly name: 'users list' }
  | { readonly name: 'users tokens'; readonly userId: number }
  | { readonly name: 'users revoke'; readonly tokenId: number }
  | { readonly name: 'users disable' | 'users enable'; readonly userId: number }
  | { readonly name: 'users role'; readonly userId: number; readonly role: Role };

/** To the minute, like the times it shows are kept; no spaces, so columns stay columns. */
const when = (ms: number | null) => (ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16)}Z`);

const PAGE = 500;

export async function runAccountCommand(io: Io, command: AccountCommand): Promise<number> {
  return withDataDatabase(io, loadConfig(io.env, { cwd: io.cwd }), (db) => run(io, db, command), (error) => {
    if (error instanceof NotFoundError) return `kubelab: no ${error.entity} with id ${error.key}`;
    if (error instanceof AccountRuleError) return `kubelab: ${error.message}`;
    return undefined;
  });
}

function run(io: Io, db: Db, command: AccountCommand): number {
  const accounts = new Accounts(db);
  switch (command.name) {
    case 'users list': {
      const rows = [['ID', 'NAME', 'ROLE', 'STATUS', 'LAST SEEN', 'CREATED', 'KEY']];
      let page = accounts.list(CLI_ACTOR, { after: 0, limit: PAGE });
      while (page.length > 0) {
        for (const u of page) {
          rows.push([String(u.id), u.displayName, u.role, u.disabledAt === null ? 'active' : 'disabled', when(u.lastSeenAt), when(u.createdAt), u.externalKey]);
        }
        page = accounts.list(CLI_ACTOR, { after: page.at(-1)!.id, limit: PAGE });
      }
      io.out(table(rows));
      return 0;
    }
    case 'users tokens': {
      const now = Date.now();
      const rows = [['ID', 'LABEL', 'STATUS', 'CREATED', 'LAST USED']];
      for (const t of accounts.tokens(CLI_ACTOR, command.userId)) rows.push([String(t.id), t.name, tokenStatus(t, now), when(t.createdAt), when(t.lastUsedAt)]);
      io.out(table(rows));
      return 0;
    }
    case 'users revoke': {
      const token = accounts.revokeToken(CLI_ACTOR, command.tokenId);
      const owner = db.users.select(token.userId);
      io.out(`revoked token ${token.id} (${token.name}) of ${owner.displayName} (user ${owner.id}): it no longer signs anyone in\n`);
      return 0;
    }
    case 'users disable':
    case 'users enable': {
      const disable = command.name === 'users disable';
      const user = accounts.setDisabled(CLI_ACTOR, command.userId, disable);
      io.out(disable
        ? `disabled ${user.displayName} (user ${user.id}): sessions ended, tokens refused until enabled\n`
        : `enabled ${user.displayName} (user ${user.id}): tokens that were not revoked work again\n`);
      return 0;
    }
    case 'users role': {
      const user = accounts.setRole(CLI_ACTOR, command.userId, command.role);
      io.out(`${user.displayName} (user ${user.id}) is now ${user.role === 'learner' ? 'a' : 'an'} ${user.role}\n`);
      return 0;
    }
  }
}
