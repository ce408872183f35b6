// The migrated schema must be exactly what the repositories read: expectations are
// derived from the zod row schemas, so a column added on one side only fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AttemptRow } from './attempts.ts';
import { AuditRow } from './audit.ts';
import { CheckResultRow } from './checkResults.ts';
import { openDatabase, type Db } from './database.ts';
import { EnvironmentRow } from './environments.ts';
import { ClusterCordonRow, WarmEnvironmentRow } from './cluster-pool.ts';
import { InstallationRow } from './installation.ts';
import { migrate, readMigrations } from './migrate.ts';
import { ClassMemberRow, ClassRow } from './classes.ts';
import { SessionRow } from './sessions.ts';
import { ApiTokenRow } from './tokens.ts';
import { UserRow } from './users.ts';
import { ApiKeyRow } from './api-keys.ts';
import { IdempotencyRow } from './idempotency.ts';
import { WebhookDeliveryAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../webhooks/store.ts';
import { ScoreRow } from '../lti/ags/scores.ts';
import { DeepLinkRow } from '../lti/deep-linking.ts';
import { KeyRow } from '../lti/keys.ts';
import { StateRow } from '../lti/login-states.ts';
import { AccountRow, ContextRow, LinkRow } from '../lti/mappings.ts';
import { PlatformRow } from '../lti/platforms.ts';
import { TicketRow } from '../lti/tickets.ts';

const TABLES: Record<string, z.ZodObject> = {
  users: UserRow,
  api_tokens: ApiTokenRow,
  environments: EnvironmentRow,
  attempts: AttemptRow,
  check_results: CheckResultRow,
  audit_log: AuditRow,
  sessions: SessionRow,
  classes: ClassRow,
  class_members: ClassMemberRow,
  installation: InstallationRow,
  service_api_keys: ApiKeyRow,
  idempotency_keys: IdempotencyRow,
  webhook_endpoints: WebhookEndpointRow,
  webhook_deliveries: WebhookDeliveryRow,
  webhook_delivery_attempts: WebhookDeliveryAttemptRow,
  cluster_cordons: ClusterCordonRow,
  warm_environments: WarmEnvironmentRow,
  lti_keys: KeyRow,
  lti_platforms: PlatformRow,
  lti_login_states: StateRow,
  lti_accounts: AccountRow,
  lti_contexts: ContextRow,
  lti_resource_links: LinkRow,
  lti_tickets: TicketRow,
  lti_scores: ScoreRow,
  lti_deep_links: DeepLinkRow,
};

const ColumnInfo = z.object({ name: z.string(), type: z.string(), notnull: z.number(), pk: z.number() });
const TableSql = z.object({ sql: z.string() });
const Pragma = z.object({ value: z.union([z.string(), z.number()]) });

interface Expected {
  type: 'INTEGER' | 'REAL' | 'TEXT';
  nullable: boolean;
  values?: string[];
}

const JsonSchemaNode = z.object({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  enum: z.array(z.string()).optional(),
  get anyOf() {
    return z.array(JsonSchemaNode).optional();
  },
});
type JsonSchemaNode = z.infer<typeof JsonSchemaNode>;

function typesOf(node: JsonSchemaNode): string[] {
  const own = node.type === undefined ? [] : typeof node.type === 'string' ? [node.type] : node.type;
  return [...own, ...(node.anyOf ?? []).flatMap(typesOf)];
}

/** What a zod field says the column must be, from its JSON Schema (input side). */
function expectedColumn(field: z.ZodType): Expected {
  const node = JsonSchemaNode.parse(z.toJSONSchema(field, { io: 'input' }));
  const types = typesOf(node);
  const values = node.enum ?? node.anyOf?.find((v) => v.enum !== undefined)?.enum;
  const nonNull = types.filter((t) => t !== 'null');
  expect(nonNull.length, `one SQL type for ${JSON.stringify(types)}`).toBe(1);
  const type = nonNull[0] === 'integer' ? 'INTEGER' : nonNull[0] === 'number' ? 'REAL' : 'TEXT';
  const nullable = types.includes('null');
  return values === undefined ? { type, nullable } : { type, nullable, values };
}

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-db-'));
  db = openDatabase(path.join(dir, 'kubelab.db'), { now: () => 1_700_000_000_000 });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrated schema', () => {
  it('has exactly the tables the repositories use, plus schema_migrations', () => {
    const names = db.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all()
      .map((row) => z.object({ name: z.string() }).parse(row).name);
    expect(names).toEqual([...Object.keys(TABLES), 'schema_migrations'].sort());
  });

  describe.each(Object.entries(TABLES))('%s', (table, rowSchema) => {
    const columns = () => z.array(ColumnInfo).parse(db.sqlite.pragma(`table_info(${table})`));

    it('has one column per row-schema field, same names', () => {
      expect(columns().map((c) => c.name).sort()).toEqual(Object.keys(rowSchema.shape).sort());
    });

    it('declares each column with the type and nullability the row schema expects', () => {
      for (const column of columns()) {
        const field = rowSchema.shape[column.name];
        if (field === undefined) throw new Error(`no field for ${table}.${column.name}`);
        const expected = expectedColumn(field);
        // Primary-key columns are NOT NULL whatever the declaration says.
        const notNull = column.notnull === 1 || column.pk > 0;
        expect({ column: column.name, type: column.type, nullable: !notNull }).toEqual({
          column: column.name,
          type: expected.type,
          nullable: expected.nullable,
        });
      }
    });

    it('guards every enumeration with a CHECK listing exactly the schema values', () => {
      const sql = TableSql.parse(db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table)).sql;
      for (const [name, field] of Object.entries(rowSchema.shape)) {
        const { values } = expectedColumn(field);
        if (values === undefined) continue;
        const check = new RegExp(`CHECK \\(${name} IN \\(([^)]*)\\)\\)`).exec(sql);
        expect(check, `${table}.${name} has a CHECK (${name} IN (...))`).not.toBeNull();
        const listed = [...(check?.[1] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]);
        expect(listed.sort()).toEqual([...values].sort());
      }
    });
  });
});

describe('opening', () => {
  it('turns on WAL, foreign keys and a busy timeout', () => {
    expect(Pragma.parse({ value: db.sqlite.pragma('journal_mode', { simple: true }) }).value).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('records each migration once; migrating again and reopening are no-ops', () => {
    const versions = readMigrations().map((m) => m.version);
    const recorded = () =>
      db.sqlite
        .prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version')
        .all()
        .map((r) => z.object({ version: z.number(), applied_at: z.number() }).parse(r));
    const schema = () => db.sqlite.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    expect(recorded().map((r) => r.version)).toEqual(versions);

    const before = { recorded: recorded(), schema: schema() };
    expect(migrate(db.sqlite, readMigrations(), () => 1)).toEqual([]);
    db.close();
    db = openDatabase(db.file, { now: () => 2 });
    expect({ recorded: recorded(), schema: schema() }).toEqual(before);
  });

  it('refuses a database migrated by a newer kubelab', () => {
    db.sqlite.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)`).run();
    db.close();
    expect(() => openDatabase(db.file)).toThrow('database has migrations this version does not know: 9999');
  });

  it('rolls back every migration of a run when one fails', () => {
    const fresh = new Database(path.join(dir, 'broken.db'));
    const good = { version: 1, name: 'good', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
    const bad = { version: 2, name: 'bad', sql: 'CREATE TABLE b (x NOSUCHTYPE) STRICT;' };
    expect(() => migrate(fresh, [good, bad], () => 0)).toThrow();
    expect(fresh.prepare(`SELECT name FROM sqlite_master WHERE name IN ('a', 'b')`).all()).toEqual([]);
    expect(fresh.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    fresh.close();
  });

  it('reports readiness with ping, and not after close', () => {
    expect(db.ping()).toBe(true);
    db.close();
    expect(db.ping()).toBe(false);
  });
});
