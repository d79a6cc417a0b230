// Login throttling: failures are counted per client (an IPv4 address, or an IPv6 /64, which one
// host usually owns whole) and for the owner account as a whole (all clients together).
//
// Per client, in a sliding window (15 min):
// - from the 2nd failure on, the next attempt must wait 1 s, 2 s, 4 s, ... (doubling, at most
//   `maxDelayMs`); an attempt made sooner is refused with 429 and Retry-After, and not counted;
// - the 5th failure locks the client out for 15 min: every attempt, a correct password too,
//   gets 429 until the lock ends. Each further lock of the same client within a day lasts twice
//   as long as the one before (at most `maxLockMs`).
// - a successful login clears the client's record.
// Globally, 20 failures in the window lock the login for everyone for 15 min (no doubling):
// a distributed guesser gets 20 guesses per quarter hour, at the price that the owner waits too.
//
// Pure: the time is passed in; `toJSON()` / the constructor's `state` let the caller persist it.
import { parseAddress, isIPv4, formatAddress } from '../../core/cidr.ts';

export interface ThrottlePolicy {
  windowMs: number;
  lockAfter: number;
  lockMs: number;
  maxLockMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  globalLockAfter: number;
  globalLockMs: number;
}

export const DEFAULT_THROTTLE: Readonly<ThrottlePolicy> = Object.freeze({
  windowMs: 15 * 60_000,
  lockAfter: 5,
  lockMs: 15 * 60_000,
  maxLockMs: 24 * 3_600_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  globalLockAfter: 20,
  globalLockMs: 15 * 60_000,
});

interface ThrottleRecord {
  failures: number[];
  lockedUntil: number;
  /** Locks so far (for doubling); forgotten a day after the last one. */
  locks: number;
  lastLockAt: number;
}

export interface ThrottleState {
  version: 1;
  records: Record<string, ThrottleRecord>;
}

export type ThrottleDecision =
  | { allowed: true }
  | { allowed: false; reason: 'locked' | 'throttled'; scope: 'client' | 'global'; retryAfterMs: number };

export type FailureResult = { locked: false } | { locked: true; scope: 'client' | 'global'; retryAfterMs: number };

const GLOBAL = '*';
const DAY = 24 * 3_600_000;
const MAX_RECORDS = 10_000;

/** The throttle key of a client address: the address, or its /64 for IPv6. */
export function throttleKey(address: string): string {
  const ip = parseAddress(address);
  if (!ip) return address;
  if (isIPv4(ip)) return formatAddress(ip);
  return `${formatAddress([ip[0], ip[1], 0, 0])}/64`;
}

export class LoginThrottle {
  private readonly policy: ThrottlePolicy;
  private readonly records = new Map<string, ThrottleRecord>();

  constructor(policy: Partial<ThrottlePolicy> = {}, state?: unknown) {
    this.policy = { ...DEFAULT_THROTTLE, ...policy };
    const recs = (state as ThrottleState | undefined)?.records;
    if (recs && typeof recs === 'object') {
      for (const [key, r] of Object.entries(recs)) {
        if (Array.isArray(r?.failures) && Number.isFinite(r.lockedUntil)) {
          this.records.set(key, { failures: r.failures.filter(Number.isFinite), lockedUntil: r.lockedUntil, locks: Number(r.locks) || 0, lastLockAt: Number(r.lastLockAt) || 0 });
        }
      }
    }
  }

  private record(key: string, now: number): ThrottleRecord {
    let r = this.records.get(key);
    if (!r) {
      if (this.records.size >= MAX_RECORDS) this.sweep(now);
      r = { failures: [], lockedUntil: 0, locks: 0, lastLockAt: 0 };
      this.records.set(key, r);
    }
    r.failures = r.failures.filter((t) => now - t < this.policy.windowMs);
    if (r.locks && now - r.lastLockAt > DAY) r.locks = 0;
    return r;
  }

  /** May `client` try to log in now? */
  check(client: string, now: number): ThrottleDecision {
    const global = this.records.get(GLOBAL);
    if (global && global.lockedUntil > now) return { allowed: false, reason: 'locked', scope: 'global', retryAfterMs: global.lockedUntil - now };
    const r = this.records.get(throttleKey(client));
    if (!r) return { allowed: true };
    if (r.lockedUntil > now) return { allowed: false, reason: 'locked', scope: 'client', retryAfterMs: r.lockedUntil - now };
    const recent = r.failures.filter((t) => now - t < this.policy.windowMs);
    if (recent.length >= 2) {
      const delay = Math.min(this.policy.baseDelayMs * 2 ** (recent.length - 2), this.policy.maxDelayMs);
      const wait = recent[recent.length - 1] + delay - now;
      if (wait > 0) return { allowed: false, reason: 'throttled', scope: 'client', retryAfterMs: wait };
    }
    return { allowed: true };
  }

  /** Counts a failed attempt; says whether it started a lock. */
  fail(client: string, now: number): FailureResult {
    const p = this.policy;
    const r = this.record(throttleKey(client), now);
    r.failures.push(now);
    const g = this.record(GLOBAL, now);
    g.failures.push(now);
    let result: FailureResult = { locked: false };
    if (r.failures.length >= p.lockAfter) {
      const ms = Math.min(p.lockMs * 2 ** r.locks, p.maxLockMs);
      r.lockedUntil = now + ms;
      r.locks++;
      r.lastLockAt = now;
      r.failures = [];
      result = { locked: true, scope: 'client', retryAfterMs: ms };
    }
    if (g.failures.length >= p.globalLockAfter) {
      g.lockedUntil = now + p.globalLockMs;
      g.failures = [];
      if (!result.locked) result = { locked: true, scope: 'global', retryAfterMs: p.globalLockMs };
    }
    return result;
  }

  /** A successful login: the client's failures and lock history are forgotten. */
  succeed(client: string): void {
    this.records.delete(throttleKey(client));
  }

  /** Drops records with nothing left to remember. */
  sweep(now: number): void {
    for (const [key, r] of this.records) {
      const live = r.lockedUntil > now || r.failures.some((t) => now - t < this.policy.windowMs) || (r.locks > 0 && now - r.lastLockAt <= DAY);
      if (!live) this.records.delete(key);
    }
  }

  toJSON(): ThrottleState {
    return { version: 1, records: Object.fromEntries(this.records) };
  }
}
