// The database of the configured data directory, for the commands that work on it
// offline (users, accounts, classes, api-keys, clusters, lti): made if missing, closed
// after. Expected refusals print one line and exit 1; anything else is a bug and keeps
// its stack.
import { mkdirSync } from 'node:fs';
import type { Config } from '../config/config.ts';
import { databaseFile, openDatabase, type Db } from '../db/database.ts';
import type { Io } from './io.ts';

export async function withDataDatabase(
  io: Io,
  config: Config,
  run: (db: Db) => number | Promise<number>,
  /** The one-line message for an error the command expects, or undefined for a bug. */
  refusal: (error: unknown) => string | undefined = () => undefined,
): Promise<number> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(databaseFile(config.dataDir));
  try {
    return await run(db);
  } catch (error) {
    const message = refusal(error);
    if (message === undefined) throw error;
    io.err(`${message}\n`);
    return 1;
  } finally {
    db.close();
  }
}
