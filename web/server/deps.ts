// What the portal's page routes receive from buildApp: explicit values, no globals.
import type { Catalog } from '../../server/catalog/loader.ts';
import type { ClassService } from '../../server/classes/service.ts';
import type { Config } from '../../server/config/config.ts';
import type { Db } from '../../server/db/database.ts';
import type { EnvironmentService } from '../../server/environments/service.ts';
import type { GradingService } from '../../server/grading/service.ts';
import type { RenderMarkdown } from '../../server/http/markdown.ts';
import type { Assets } from './assets.ts';

import type { GradeSync } from './pages/instructor/grade-sync.ts';

export interface WebDeps {
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  readonly environments: EnvironmentService;
  readonly grading: GradingService;
  /** Classes as their instructors see them (the dashboard pages). */
  readonly classes: ClassService;
  readonly assets: Assets;
  readonly renderMarkdown: RenderMarkdown;
  readonly now: () => number;
  /** Whether cookies get `Secure` (the public URL is https). */
  readonly secureCookies: boolean;
  /** Other sites that may frame the portal's pages (registered LMSs); none when absent. */
  readonly frameOrigins?: () => readonly string[];
  /** LTI grade passback, for the dashboard's grade sync status and Resend. */
  readonly gradeSync?: GradeSync;
}
