// `kubelab api-keys create|list|revoke`: service API keys from the server's shell.
// Whoever runs these can open the database anyway, so the shell sees every key. A key
// carries the standing of a user (`--by`, an admin for a server-wide key, the class's
// instructor or an admin for a class key), exactly as one made through the API; the
// secret is printed once on stdout (the rest goes to stderr, so `$(…)` captures only it).
import { CLI_ACTOR } from '../accounts/accounts.ts';
import { ApiKeys } from '../api-keys/service.ts';
import { ClassNotFoundError } from '../classes/service.ts';
import { loadConfig } from '../config/config.ts';
import type { ApiKeyScope } from '../db/api-keys.ts';
import type { Db } from '../db/database.ts';
import { NotFoundError } from '../db/errors.ts';
import { ForbiddenError } from '../http/errors.ts';
import { table } from './table.ts';
import { withDataDatabase } from './data-database.ts';
import type { Io } from './io.ts';

export type ApiKeyCommand =
  | { readonly name: 'api-keys create'; readonly keyName: string; readonly by: string; readonly scopes: readonly ApiKeyScope[]; readonly classId: number | null }
  | { readonly name: 'api-keys list' }
  | { readonly name: 'api-keys revoke'; readonly keyId: number };

const when = (ms: number | null) => (ms === null ? 'never' : `${new Date(ms).toISOString().slice(0, 16)}Z`);
const PAGE = 500;

export async function runApiKeyCommand(io: Io, command: ApiKeyCommand): Promise<number> {
  return withDataDatabase(io, loadConfig(io.env, { cwd: io.cwd }), (db) => run(io, db, command), (error) => {
    if (error instanceof NotFoundError) return `kubelab: no ${error.entity} with id ${error.key}`;
    if (error instanceof ClassNotFoundError || error instanceof ForbiddenError) return `kubelab: ${error.message}`;
    return undefined;
  });
}

function run(io: Io, db: Db, command: ApiKeyCommand): number {
  const keys = new ApiKeys(db);
  switch (command.name) {
    case 'api-keys create': {
      const maker = db.users.selectOptionalByExternalKey(`local:${command.by}`);
      if (!maker) {
        io.err(`kubelab: no user ${JSON.stringify(command.by)}: create one with \`kubelab users add ${command.by} --role admin\`\n`);
        return 1;
      }
      const made = keys.create(CLI_ACTOR, { name: command.keyName, scopes: command.scopes, classId: command.classId, madeBy: maker.id });
      const reach = made.key.classId === null ? 'the whole server' : `class ${made.key.classId}`;
      io.err(`API key ${made.key.id} (${made.key.name}) for ${reach}, scopes ${made.key.scopes.join(', ')}, with ${maker.displayName}'s standing: secret below, shown once\n`);
      io.out(`${made.plaintext}\n`);
      return 0;
    }
    case 'api-keys list': {
      const rows = [['ID', 'NAME', 'HINT', 'CLASS', 'SCOPES', 'STATUS', 'BY', 'CREATED', 'LAST USED']];
      let page = keys.list(CLI_ACTOR, { afterId: 0, limit: PAGE });
      while (page.length > 0) {
        for (const k of page) {
          rows.push([String(k.id), k.name, `${k.hint}…`, k.classId === null ? 'server' : String(k.classId), k.scopes.join(','), k.revokedAt === null ? 'active' : 'revoked', String(k.createdByUserId), when(k.createdAt), when(k.lastUsedAt)]);
        }
        page = keys.list(CLI_ACTOR, { afterId: page.at(-1)!.id, limit: PAGE });
      }
      io.out(table(rows));
      return 0;
    }
    case 'api-keys revoke': {
      const key = keys.revoke(CLI_ACTOR, command.keyId);
      io.out(`revoked API key ${key.id} (${key.name}): it no longer authenticates\n`);
      return 0;
    }
  }
}
