// Constant-time comparison and the timestamp window, shared by the schemes.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULT_TOLERANCE_SECONDS, refuse, type Verdict } from './types.ts';

/** Equal strings, in time that does not depend on where they differ (nor on their lengths). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A refusal when `seconds` (epoch) is further than the tolerance from now, in either direction. */
export function outsideWindow(seconds: number, now: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): Verdict | null {
  if (!Number.isFinite(seconds)) return refuse('signature', 'the signed timestamp is not a number');
  const age = Math.round(now / 1000 - seconds);
  if (Math.abs(age) > toleranceSeconds) {
    return refuse('stale', age > 0 ? `the event was signed ${age} s ago; the tolerance is ${toleranceSeconds} s` : `the event is dated ${-age} s in the future; the tolerance is ${toleranceSeconds} s`);
  }
  return null;
}
