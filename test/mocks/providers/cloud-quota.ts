// Small shared parts of the Cloud-category provider mocks (azure, cloudflare, digitalocean,
// hetzner, render, vercel): the bearer token of a request, a request quota that counts down
// per authenticated request the way these providers' rate-limit headers do, and a switch that
// makes the next requests hit the limit (429) on demand.
import { randomUUID } from 'node:crypto';
import type { ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), or undefined. */
export function bearerOf(r: ReceivedRequest): string | undefined {
  const h = r.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(h);
  return m ? m[1] : undefined;
}

export const requestId = (): string => randomUUID();

/** The quota of one token/account: `limit` requests per `windowSeconds`. */
export class Quota {
  readonly limit: number;
  readonly windowSeconds: number;
  remaining: number;
  /** Unix seconds when the window ends. */
  resetAt: number;
  #forced: (string | undefined)[] = [];

  constructor(limit: number, windowSeconds: number) {
    this.limit = limit;
    this.windowSeconds = windowSeconds;
    this.remaining = limit;
    this.resetAt = Math.floor(Date.now() / 1000) + windowSeconds;
  }

  /**
   * The next `n` requests find the quota used up (answered 429); only requests to `path` when it
   * is given (so that a hub's background health probes do not take the 429 meant for a call).
   */
  throttleNext(n = 1, path?: string): void {
    for (let i = 0; i < n; i++) this.#forced.push(path);
  }

  /**
   * Counts one request. `ok` is false when the limit is reached (the request must be refused);
   * `remaining` is what the rate-limit headers of this answer report.
   */
  take(path?: string): { ok: boolean; remaining: number } {
    const now = Math.floor(Date.now() / 1000);
    if (now >= this.resetAt) {
      this.remaining = this.limit;
      this.resetAt = now + this.windowSeconds;
    }
    const forced = this.#forced.findIndex((p) => p === undefined || p === path);
    if (forced >= 0) {
      this.#forced.splice(forced, 1);
      return { ok: false, remaining: 0 };
    }
    if (this.remaining <= 0) return { ok: false, remaining: 0 };
    this.remaining--;
    return { ok: true, remaining: this.remaining };
  }

  /** Seconds until the window ends (at least 1): a Retry-After value. */
  retryAfter(): number {
    return Math.max(1, this.resetAt - Math.floor(Date.now() / 1000));
  }
}
