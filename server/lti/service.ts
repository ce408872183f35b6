// Everything LTI in one object, made by buildApp from the app's own dependencies:
// the stores (SQLite), the launch validator, deep linking, and grade passback with
// its delivery loop. Tests reach the same object through `app.lti`.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/loader.ts';
import type { Db } from '../db/database.ts';
import type { Scheduler } from '../environments/reaper.ts';
import type { AttemptEvents } from '../grading/events.ts';
import { ScorePassback } from './ags/passback.ts';
import { ScoreQueue } from './ags/scores.ts';
import { AgsTokens } from './ags/tokens.ts';
import { DeepLinkRequests } from './deep-linking.ts';
import { ToolKeys } from './keys.ts';
import { LaunchValidator } from './launch-validation.ts';
import { LoginStates } from './login-states.ts';
import { LtiMappings } from './mappings.ts';
import { PlatformsRepo } from './platforms.ts';
import { LaunchTickets } from './tickets.ts';

/** How often due scores are sent. */
export const DELIVERY_INTERVAL_MS = 15_000;

export interface LtiDeps {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly publicUrl: string;
  readonly now: () => number;
  readonly randomBytes?: (size: number) => Buffer;
  /** The HTTP client for platform calls (AGS token and scores). Default: global fetch. */
  readonly fetch?: typeof fetch;
}

/** The four URLs an LMS admin pastes when registering kubelab. */
export interface ToolUrls {
  readonly loginUrl: string;
  readonly launchUrl: string;
  readonly jwksUrl: string;
  readonly deepLinkingUrl: string;
}

export function toolUrls(publicUrl: string): ToolUrls {
  const base = publicUrl.replace(/\/$/, '');
  return {
    loginUrl: `${base}/lti/login`,
    launchUrl: `${base}/lti/launch`,
    jwksUrl: `${base}/lti/jwks.json`,
    // Deep-linking requests arrive at the launch URL too; LMSs ask for it separately.
    deepLinkingUrl: `${base}/lti/launch`,
  };
}

export class LtiService {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Buffer;
  readonly urls: ToolUrls;
  readonly platforms: PlatformsRepo;
  readonly keys: ToolKeys;
  readonly states: LoginStates;
  readonly tickets: LaunchTickets;
  readonly mappings: LtiMappings;
  readonly deepLinks: DeepLinkRequests;
  readonly validator: LaunchValidator;
  readonly scores: ScoreQueue;
  readonly tokens: AgsTokens;
  readonly passback: ScorePassback;
  /** The HTTP client for platform calls. */
  readonly fetch: typeof fetch;

  constructor(deps: LtiDeps) {
    const { db, now } = deps;
    const sqlite = db.sqlite;
    this.db = db;
    this.catalog = deps.catalog;
    this.now = now;
    this.randomBytes = deps.randomBytes ?? cryptoRandomBytes;
    this.urls = toolUrls(deps.publicUrl);
    this.platforms = new PlatformsRepo(sqlite, now);
    this.keys = new ToolKeys(sqlite, now);
    this.states = new LoginStates(sqlite, now);
    this.tickets = new LaunchTickets(sqlite, { now, randomBytes: this.randomBytes });
    this.mappings = new LtiMappings(sqlite, now);
    this.deepLinks = new DeepLinkRequests(sqlite, { now, randomBytes: this.randomBytes });
    this.validator = new LaunchValidator({ platforms: this.platforms, states: this.states, now });
    this.scores = new ScoreQueue(sqlite, now);
    const fetcher = deps.fetch ?? fetch;
    this.fetch = fetcher;
    this.tokens = new AgsTokens({ keys: this.keys, fetch: fetcher, now, randomBytes: this.randomBytes });
    this.passback = new ScorePassback({ queue: this.scores, mappings: this.mappings, platforms: this.platforms, tokens: this.tokens, fetch: fetcher, now });
  }

  /**
   * Queue scores as attempts finish, and send due ones on each tick (and right after a
   * grade). Returns the stop function. Failures are reported, never thrown: a grade's
   * own answer must not depend on an LMS being up.
   */
  start(options: { events: AttemptEvents; scheduler: Scheduler; onError: (message: string) => void }): () => void {
    const deliver = () => {
      this.passback.deliverDue().catch((error: unknown) => options.onError(`lti score delivery failed: ${error instanceof Error ? error.message : String(error)}`));
    };
    const unsubscribe = options.events.subscribeAll((_attemptId, event) => {
      if (event.type !== 'attempt' || event.attempt.status !== 'finished') return;
      try {
        if (this.passback.attemptFinished(event.attempt).length > 0) deliver();
      } catch (error) {
        options.onError(`lti score queueing failed for attempt ${event.attempt.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    const stopTicks = options.scheduler.every(DELIVERY_INTERVAL_MS, deliver);
    return () => {
      unsubscribe();
      stopTicks();
    };
  }
}
