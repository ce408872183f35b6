// How LTI's identities land on kubelab's: an LTI user (platform + sub) is an account,
// a context (platform + deployment + context id) is a class, a resource link
// (platform + deployment + link id) is an exercise of that class with its AGS line item.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from '../db/columns.ts';

export const LinkRow = z.object({
  id,
  platform_id: id,
  deployment_id: z.string(),
  resource_link_id: z.string(),
  class_id: id,
  exercise_id: z.string(),
  lineitem_url: z.string().nullable(),
  ags_scopes: jsonText(z.array(z.string())),
  created_at: timestamp,
});
const parseLink = LinkRow.transform((r) => ({
  id: r.id,
  platformId: r.platform_id,
  deploymentId: r.deployment_id,
  resourceLinkId: r.resource_link_id,
  classId: r.class_id,
  exerciseId: r.exercise_id,
  lineitemUrl: r.lineitem_url,
  agsScopes: r.ags_scopes,
}));
export type ResourceLink = z.output<typeof parseLink>;

export interface LinkKey {
  readonly platformId: number;
  readonly deploymentId: string;
  readonly resourceLinkId: string;
}

/** Rows of `lti_accounts` and `lti_contexts`, exactly as stored. */
export const AccountRow = z.object({ platform_id: id, sub: z.string(), user_id: id });
export const ContextRow = z.object({ platform_id: id, deployment_id: z.string(), context_id: z.string(), class_id: id });

const UserIdRow = z.object({ user_id: id });
const ClassIdRow = z.object({ class_id: id });
const SubRow = z.object({ sub: z.string() });

export class LtiMappings {
  readonly #now: () => number;
  readonly #account: Database.Statement;
  readonly #linkAccount: Database.Statement;
  readonly #subOf: Database.Statement;
  readonly #context: Database.Statement;
  readonly #linkContext: Database.Statement;
  readonly #link: Database.Statement;
  readonly #upsertLink: Database.Statement;
  readonly #linksFor: Database.Statement;
  readonly #linkById: Database.Statement;
  readonly #setOwner: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#account = sqlite.prepare('SELECT user_id FROM lti_accounts WHERE platform_id = ? AND sub = ?');
    this.#linkAccount = sqlite.prepare('INSERT INTO lti_accounts (platform_id, sub, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.#subOf = sqlite.prepare('SELECT sub FROM lti_accounts WHERE platform_id = ? AND user_id = ?');
    this.#context = sqlite.prepare('SELECT class_id FROM lti_contexts WHERE platform_id = ? AND deployment_id = ? AND context_id = ?');
    this.#linkContext = sqlite.prepare('INSERT INTO lti_contexts (platform_id, deployment_id, context_id, class_id) VALUES (?, ?, ?, ?)');
    this.#link = sqlite.prepare('SELECT * FROM lti_resource_links WHERE platform_id = @platformId AND deployment_id = @deploymentId AND resource_link_id = @resourceLinkId');
    // A later launch may bring a line item the first did not (AGS enabled afterwards):
    // the newest launch's AGS endpoint wins, the exercise stays what it was.
    this.#upsertLink = sqlite.prepare(
      `INSERT INTO lti_resource_links (platform_id, deployment_id, resource_link_id, class_id, exercise_id, lineitem_url, ags_scopes, created_at)
       VALUES (@platformId, @deploymentId, @resourceLinkId, @classId, @exerciseId, @lineitemUrl, @agsScopes, @now)
       ON CONFLICT (platform_id, deployment_id, resource_link_id) DO UPDATE SET
         lineitem_url = coalesce(excluded.lineitem_url, lineitem_url),
         ags_scopes = CASE WHEN excluded.lineitem_url IS NOT NULL THEN excluded.ags_scopes ELSE ags_scopes END
       RETURNING *`,
    );
    // The links a learner's grade of this exercise should reach: those of classes they are in.
    this.#linksFor = sqlite.prepare(
      `SELECT l.* FROM lti_resource_links l JOIN class_members m ON m.class_id = l.class_id
       JOIN lti_accounts a ON a.platform_id = l.platform_id AND a.user_id = m.user_id
       WHERE m.user_id = ? AND l.exercise_id = ? AND l.lineitem_url IS NOT NULL ORDER BY l.id`,
    );
    this.#linkById = sqlite.prepare('SELECT * FROM lti_resource_links WHERE id = ?');
    this.#setOwner = sqlite.prepare('UPDATE classes SET owner_user_id = ? WHERE id = ?');
  }

  accountOf(platformId: number, sub: string): number | undefined {
    const row = this.#account.get(platformId, sub);
    return row === undefined ? undefined : UserIdRow.parse(row).user_id;
  }

  linkAccount(platformId: number, sub: string, userId: number): void {
    this.#linkAccount.run(platformId, sub, userId);
  }

  /** The LTI `sub` the platform knows this user by (AGS's userId). */
  subOf(platformId: number, userId: number): string | undefined {
    const row = this.#subOf.get(platformId, userId);
    return row === undefined ? undefined : SubRow.parse(row).sub;
  }

  classOf(platformId: number, deploymentId: string, contextId: string): number | undefined {
    const row = this.#context.get(platformId, deploymentId, contextId);
    return row === undefined ? undefined : ClassIdRow.parse(row).class_id;
  }

  linkContext(platformId: number, deploymentId: string, contextId: string, classId: number): void {
    this.#linkContext.run(platformId, deploymentId, contextId, classId);
  }

  /** A class first made for a learner's launch passes to the first instructor who launches. */
  setClassOwner(classId: number, userId: number): void {
    this.#setOwner.run(userId, classId);
  }

  link(key: LinkKey): ResourceLink | undefined {
    const row = this.#link.get(key);
    return row === undefined ? undefined : parseLink.parse(row);
  }

  linkById(linkId: number): ResourceLink | undefined {
    const row = this.#linkById.get(linkId);
    return row === undefined ? undefined : parseLink.parse(row);
  }

  saveLink(link: LinkKey & { classId: number; exerciseId: string; lineitemUrl: string | null; agsScopes: readonly string[] }): ResourceLink {
    return parseLink.parse(this.#upsertLink.get({ ...link, agsScopes: JSON.stringify(link.agsScopes), now: this.#now() }));
  }

  /** Graded links of `exerciseId` in the learner's LTI classes (where a score should go). */
  gradedLinksFor(userId: number, exerciseId: string): ResourceLink[] {
    return this.#linksFor.all(userId, exerciseId).map((r) => parseLink.parse(r));
  }
}
