// Requests per minute per credential (an API key or a user token), as a token bucket:
// a credential may burst up to its whole minute's allowance, then gets one request
// back every 60 000 / perMinute ms. Over the limit the caller is told how many whole
// seconds until the next request would pass (Retry-After). The clock is injected, so
// tests step time instead of sleeping.
import { HttpError } from '../errors.ts';

export class RateLimitedError extends HttpError {
  override readonly name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, limitPerMinute: number) {
    super(429, 'rate_limited', `too many requests: at most ${limitPerMinute} a minute for this credential; retry after ${retryAfterSeconds}s`, {
      retryAfterSeconds,
      limitPerMinute,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }

  override get headers(): Readonly<Record<string, string>> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiterOptions {
  /** Allowance per credential per minute; 0 turns limiting off. */
  readonly perMinute: number;
  readonly now: () => number;
  /** How many credentials to remember at most (oldest forgotten first): bounds memory. */
  readonly maxTracked?: number;
}

export class RateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #maxTracked: number;
  // Insertion order is use order (re-inserted on each take), so the first key is the stalest.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.#perMinute = options.perMinute;
    this.#now = options.now;
    this.#maxTracked = options.maxTracked ?? 100_000;
  }

  /** Spends one request of `credential`'s allowance, or throws RateLimitedError. */
  take(credential: string): void {
    if (this.#perMinute === 0) return;
    const now = this.#now();
    const msPerToken = 60_000 / this.#perMinute;
    const previous = this.#buckets.get(credential);
    // A clock stepping backwards (tests, NTP) must not mint requests: elapsed never goes below 0.
    const refilled = previous === undefined
      ? this.#perMinute
      : Math.min(this.#perMinute, previous.tokens + Math.max(0, now - previous.at) / msPerToken);
    this.#buckets.delete(credential);
    if (refilled < 1) {
      this.#buckets.set(credential, { tokens: refilled, at: now });
      throw new RateLimitedError(Math.max(1, Math.ceil(((1 - refilled) * msPerToken) / 1000)), this.#perMinute);
    }
    this.#buckets.set(credential, { tokens: refilled - 1, at: now });
    if (this.#buckets.size > this.#maxTracked) {
      const stalest = this.#buckets.keys().next().value;
      if (stalest !== undefined) this.#buckets.delete(stalest);
    }
  }
}
