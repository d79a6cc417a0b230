// What the limiter decided for one request (ProxyState.admission): the tightest request and
// token limits that applied, for the x-ratelimit-* headers of the answer; on a refusal, when to
// retry; and the tokens reserved against token quotas until the answer's usage settles them.
import { resetDuration, retryAfterSeconds } from './duration-format.ts';
import type { FailMode } from './counter-store.ts';

export interface LimitFigures {
  limit: number;
  remaining: number;
  /** Milliseconds until the limit is back at its full size (bucket empty, period renewed). */
  resetMs: number;
}

/** Tokens reserved against one quota counter. `provider`: reserved by a provider's policy for that provider only. */
export interface HeldTokens {
  key: string;
  amount: number;
  expiresAt: number;
  provider?: string;
  /** The policy's failMode (settled like it was counted while the shared store is away). */
  failMode?: FailMode;
  /** Reserved in this instance's memory (the shared store was away): settled there too. */
  local?: boolean;
}

/** The tightest request and token limits seen, for the x-ratelimit-* trios. */
export interface LimitHeaderFigures {
  requests?: LimitFigures;
  tokens?: LimitFigures;
}

export interface Admission extends LimitHeaderFigures {
  /** Set when a limit refused the request: how long until it may fit. */
  retryAfterMs?: number;
  held: HeldTokens[];
  /** When the first reservation was made, epoch ms (stale reservations are let go). */
  at: number;
}

/** The more restrictive of two: fewer remaining, or on a tie the one that renews later. */
export function tighter(a: LimitFigures | undefined, b: LimitFigures): LimitFigures {
  if (!a) return b;
  if (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetMs > a.resetMs)) return b;
  return a;
}

export function mergeFigures(into: LimitHeaderFigures, from: LimitHeaderFigures): void {
  if (from.requests) into.requests = tighter(into.requests, from.requests);
  if (from.tokens) into.tokens = tighter(into.tokens, from.tokens);
}

const REQUEST_HEADERS = ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'] as const;
const TOKEN_HEADERS = ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'] as const;

function put(out: Record<string, string | string[]>, names: readonly [string, string, string], f: LimitFigures): void {
  out[names[0]] = String(f.limit);
  out[names[1]] = String(Math.max(0, Math.floor(f.remaining)));
  out[names[2]] = resetDuration(f.resetMs);
}

/**
 * Sets sil's x-ratelimit-* trios (and Retry-After on a refusal) on answer headers. A trio sil
 * sets replaces the provider's own: the caller sees one source per trio.
 */
export function applyLimitHeaders(headers: Record<string, string | string[]>, admission: unknown): void {
  const a = admission as Admission | undefined;
  if (!a) return;
  if (a.requests) put(headers, REQUEST_HEADERS, a.requests);
  if (a.tokens) put(headers, TOKEN_HEADERS, a.tokens);
  if (a.retryAfterMs !== undefined) headers['retry-after'] = String(retryAfterSeconds(a.retryAfterMs));
}

/** The same headers as a fresh object (for error answers). */
export function limitHeaders(admission: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  applyLimitHeaders(out, admission);
  return out;
}
