import type { Catalog } from '../catalog/loader.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import type { RenderMarkdown } from './markdown.ts';
import type { MemberStatus } from '../cluster/pool/pool.ts';

/** What route plugins receive from buildApp: explicit values, no globals. */
export interface RouteContext {
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  readonly now: () => number;
  readonly renderMarkdown: RenderMarkdown;
  /** The cluster pool's members (readiness details), when a platform runs. */
  readonly clusters?: () => MemberStatus[];
}
