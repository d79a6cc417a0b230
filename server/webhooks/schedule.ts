// When a failed delivery is tried again: the schedule (immediately, 5 s, 5 min, 30 min,
// 2 h, 5 h, 10 h, 10 h), or a subscription's retry.scheduleSeconds, each delay with ±10 % jitter
// so that many deliveries failing together do not come back together.

/** Delays before each attempt, in seconds; the first is the immediate one. */
export const DEFAULT_SCHEDULE_SECONDS: readonly number[] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];
export const JITTER = 0.1;

/**
 * The schedule of a subscription: its scheduleSeconds are the retries, after the immediate first
 * attempt (so `[5, 60]` gives three attempts: now, 5 s later, 60 s after that).
 */
export function scheduleOf(retry: { scheduleSeconds?: number[] } | undefined): readonly number[] {
  return retry?.scheduleSeconds?.length ? [0, ...retry.scheduleSeconds] : DEFAULT_SCHEDULE_SECONDS;
}

/**
 * The delay before attempt number `attempt` (1-based: attempt 1 is the first), in ms, with
 * jitter from `random` (0 ≤ r < 1); null when the schedule has no such attempt.
 */
export function delayBeforeAttempt(schedule: readonly number[], attempt: number, random: () => number = Math.random): number | null {
  if (attempt < 1 || attempt > schedule.length) return null;
  const base = schedule[attempt - 1]! * 1000;
  return Math.max(0, Math.round(base * (1 + JITTER * (2 * random() - 1))));
}
