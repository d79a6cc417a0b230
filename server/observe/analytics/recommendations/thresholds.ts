// When a recommendation fires: the figures docs/analytics.md states, in one place.
export const THRESHOLDS = Object.freeze({
  /** A target's figures count only with at least this many requests in the period. */
  minRequests: 20,
  /** cheaper-target: quality (success rate, blended with feedback) at most this much lower ... */
  qualityTolerance: 0.02,
  /** ... and a cost per request at most this share of the preferred target's (20 % cheaper). */
  cheaperShare: 0.8,
  /** slow-target: p95 at least this many times the peers' median p95 ... */
  slowRatio: 2,
  /** ... and at least this many ms above it. */
  slowGapMs: 500,
  /** key-quota: a provider's quota used at least this share (warning), critical when used up. */
  quotaShare: 0.8,
  /** budget-burn: forecast only after this share of the period has passed (at least 1 h). */
  budgetMinElapsedShare: 0.05,
  budgetMinElapsedMs: 3_600_000,
  /** budget-burn: critical when the forecast is this close. */
  budgetCriticalMs: 86_400_000,
  /** key-rotation: warn this many days before rotation is due; critical when overdue. */
  rotationWarnDays: 14,
});
