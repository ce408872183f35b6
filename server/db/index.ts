export { openDatabase, databaseFile, type Db, type OpenDatabaseOptions } from './database.ts';
export { NotFoundError } from './errors.ts';
export type { User, Role, NewUser } from './users.ts';
export type { ApiToken, CreatedToken, Authenticated } from './tokens.ts';
export type { Environment, EnvironmentStatus, NewEnvironment } from './environments.ts';
export type { Attempt, AttemptStatus, AttemptResult, NewAttempt, Verdict } from './attempts.ts';
export type { CheckResult, CheckStatus, NewCheckResult } from './checkResults.ts';
export type { AuditEntry, NewAuditEntry } from './audit.ts';
