// Grade passback: after each graded attempt the learner's best score on that exercise
// is queued for every graded LTI link of it in their classes; deliverDue sends what is
// due. Retries: a network failure, 429 or 5xx waits (doubling, Retry-After honoured);
// a 401 forgets the cached token first; any other refusal is final (`failed`, shown to
// staff, who can Resend). An `error` attempt is not a verdict and is never sent.
import type { Attempt } from '../../db/attempts.ts';
import { AGS_SCOPE } from '../claims.ts';
import type { LtiMappings } from '../mappings.ts';
import type { PlatformsRepo } from '../platforms.ts';
import { call, PlatformCallError, USER_AGENT, type AgsTokens } from './tokens.ts';
import type { QueuedScore, ScoreQueue } from './scores.ts';

export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 3600_000;
/** After this many tries (about a day of backoff) a score is marked failed. */
export const MAX_TRIES = 30;

export interface PassbackDeps {
  readonly queue: ScoreQueue;
  readonly mappings: LtiMappings;
  readonly platforms: PlatformsRepo;
  readonly tokens: AgsTokens;
  readonly fetch: typeof fetch;
  readonly now: () => number;
}

/** Where a line item's scores go: `/scores` appended to its path, before any query. */
export function scoresUrl(lineitemUrl: string): string {
  const url = new URL(lineitemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

export function backoffMs(tries: number, retryAfterS: number | null): number {
  const doubled = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(tries, 20));
  return Math.max(doubled, (retryAfterS ?? 0) * 1000);
}

export class ScorePassback {
  readonly #deps: PassbackDeps;
  /** One delivery run at a time: a tick during a slow run waits for the next. */
  #running: Promise<number> | undefined;

  constructor(deps: PassbackDeps) {
    this.#deps = deps;
  }

  /** Queues the learner's best score for the attempt's exercise; returns the rows that changed. */
  attemptFinished(attempt: Attempt): QueuedScore[] {
    if (attempt.status !== 'finished' || attempt.result === null || attempt.result === 'error') return [];
    const best = this.#deps.queue.bestAttempt(attempt.userId, attempt.exerciseId);
    if (!best || best.maxScore <= 0) return [];
    const changed: QueuedScore[] = [];
    for (const link of this.#deps.mappings.gradedLinksFor(attempt.userId, attempt.exerciseId)) {
      const row = this.#deps.queue.want({
        linkId: link.id,
        userId: attempt.userId,
        attemptId: best.attemptId,
        scoreGiven: best.score,
        scoreMaximum: best.maxScore,
        activityProgress: best.score >= best.maxScore ? 'Completed' : 'Submitted',
      });
      if (row) changed.push(row);
    }
    return changed;
  }

  /** Sends every due score; resolves with how many the platforms accepted. */
  deliverDue(): Promise<number> {
    this.#running ??= this.#deliver().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #deliver(): Promise<number> {
    let sent = 0;
    for (const score of this.#deps.queue.due()) {
      try {
        await this.#send(score);
        this.#deps.queue.markSent(score);
        sent += 1;
      } catch (error) {
        const failure = error instanceof PlatformCallError ? error : new PlatformCallError(error instanceof Error ? error.message : String(error), false, null);
        if (failure.retryable && score.tries + 1 < MAX_TRIES) {
          this.#deps.queue.markRetry(score.id, this.#deps.now() + backoffMs(score.tries, failure.retryAfterS), failure.message);
        } else {
          this.#deps.queue.markFailed(score.id, failure.message);
        }
      }
    }
    return sent;
  }

  async #send(score: QueuedScore): Promise<void> {
    const link = this.#deps.mappings.linkById(score.linkId);
    if (!link?.lineitemUrl) throw new PlatformCallError('the link no longer has a line item', false, null);
    const platform = this.#deps.platforms.select(link.platformId);
    const sub = this.#deps.mappings.subOf(platform.id, score.userId);
    if (sub === undefined) throw new PlatformCallError('the learner has no LTI account on this platform', false, null);
    const body = JSON.stringify({
      userId: sub,
      scoreGiven: score.scoreGiven,
      scoreMaximum: score.scoreMaximum,
      activityProgress: score.activityProgress,
      gradingProgress: 'FullyGraded',
      timestamp: new Date(score.scoredAt).toISOString(),
    });
    const post = async () => {
      const token = await this.#deps.tokens.token(platform, [AGS_SCOPE.score]);
      return call(this.#deps.fetch, scoresUrl(link.lineitemUrl!), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json', 'user-agent': USER_AGENT },
        body,
      }, 'score');
    };
    try {
      await post();
    } catch (error) {
      // An expired or revoked token: get a fresh one and try once more now.
      if (!(error instanceof PlatformCallError) || error.status !== 401) throw error;
      this.#deps.tokens.forget(platform);
      await post();
    }
  }
}
