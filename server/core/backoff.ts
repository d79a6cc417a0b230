// How long to wait before the next attempt: exponential backoff with full jitter, or the
// target's Retry-After when it is short enough; a longer Retry-After fails over at once.

/** The exponential backoff never waits longer than this. */
export const MAX_BACKOFF_MS = 10_000;
/** The longest Retry-After waited for when the binding sets no `maxRetryAfterMs`. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 2_000;

export interface BackoffOptions {
  /** The binding's `failover.backoffMs`: the base of the exponential (0 = no backoff). */
  backoffMs: number;
  /**
   * The Retry-After of the previous answer, in ms, when the next attempt goes to the same
   * target and key; leave it out when it goes elsewhere.
   */
  retryAfterMs?: number;
  /** The binding's `failover.maxRetryAfterMs` (default 2 s). */
  maxRetryAfterMs?: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

export type BackoffDecision = { delayMs: number } | { skipTarget: true };

/**
 * The wait before attempt number `attempt` (0-based: attempt 0 is the first and never waits).
 * Attempt n waits a uniform random time in [0, min(10 s, backoffMs * 2^(n-1))) ("full jitter").
 * A Retry-After up to `maxRetryAfterMs` is waited for (at least); a longer one returns
 * `{ skipTarget: true }`: move on to another target now rather than wait.
 */
export function delayBeforeAttempt(attempt: number, options: BackoffOptions): BackoffDecision {
  const { backoffMs, retryAfterMs, random } = options;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) return { skipTarget: true };
  let jittered = 0;
  if (attempt >= 1 && backoffMs > 0) {
    const ceiling = Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** Math.min(attempt - 1, 30));
    jittered = Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
    if (jittered >= ceiling) jittered = ceiling - 1;
  }
  const retryAfter = retryAfterMs !== undefined && retryAfterMs > 0 ? Math.ceil(retryAfterMs) : 0;
  return { delayMs: Math.max(jittered, retryAfter) };
}
