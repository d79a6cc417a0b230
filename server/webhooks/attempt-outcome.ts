// What an attempt's answer means, as pure functions: the delivery after it (delivered; failed on
// 410 Gone or with no attempt left in the schedule; else pending until its next attempt), and
// whether the endpoint's run of failures disables it (5 days, or retry.disableAfterFailures).
import type { WebhookSubscription } from '../../schemas/types.gen.ts';
import { delayBeforeAttempt, scheduleOf } from './schedule.ts';
import type { Attempt, Delivery, EndpointState } from './types.ts';

export const FIVE_DAYS_MS = 5 * 86_400_000;

export type Outcome = 'delivered' | 'gone' | 'failed';

export function afterAttempt(d: Delivery, attempt: Attempt, retry: WebhookSubscription['retry'], now: number, random?: () => number): { delivery: Delivery; outcome: Outcome } {
  const next: Delivery = { ...d, attempts: [...d.attempts, attempt] };
  if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) return { delivery: { ...next, state: 'delivered', nextAt: null }, outcome: 'delivered' };
  if (attempt.status === 410) return { delivery: { ...next, state: 'failed', nextAt: null, reason: 'the receiver answered 410 Gone' }, outcome: 'gone' };
  const delay = delayBeforeAttempt(scheduleOf(retry), next.attempts.length + 1, random);
  if (delay === null) return { delivery: { ...next, state: 'failed', nextAt: null, reason: `no attempt left in the schedule (${next.attempts.length} made)` }, outcome: 'failed' };
  return { delivery: { ...next, nextAt: now + delay }, outcome: 'failed' };
}

/** Why the endpoint is disabled after a failed attempt (its state already counts it), or null. */
export function disableReason(s: EndpointState, now: number, limitMs: number, disableAfterFailures?: number): string | null {
  if (s.failingSince !== undefined && now - s.failingSince >= limitMs) return `every attempt failed for ${Math.round((now - s.failingSince) / 3_600_000)} hours (since ${new Date(s.failingSince).toISOString()})`;
  if (disableAfterFailures && (s.consecutiveFailures ?? 0) >= disableAfterFailures) return `${s.consecutiveFailures} attempts in a row failed (retry.disableAfterFailures)`;
  return null;
}
