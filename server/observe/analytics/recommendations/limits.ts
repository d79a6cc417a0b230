// Recommendations from the limiter's counters: key-quota (a provider's keys near the quota of
// its policy) and budget-burn (spending at a rate that exhausts a budget before its period ends,
// with the forecast date). Thresholds in thresholds.ts.
import type { LimitStatus } from '../../../limits/limit-status.ts';
import type { Recommendation } from '../types.ts';
import { THRESHOLDS } from './thresholds.ts';
import { attachedLink, localTime, money, percent } from './format.ts';

const subject = (s: LimitStatus) => `${s.attachedTo.kind} ${s.attachedTo.name}`;

/** Quotas of policies attached to providers (they meter the provider's keys) used at 80 % or more. */
export function keyQuota(s: LimitStatus, timeZone: string): Recommendation | null {
  if ((s.limit !== 'quota.requests' && s.limit !== 'quota.tokens') || s.attachedTo.kind !== 'provider' || s.max <= 0) return null;
  const share = s.used / s.max;
  if (share < THRESHOLDS.quotaShare) return null;
  const what = s.limit === 'quota.requests' ? 'request' : 'token';
  const spent = share >= 1;
  const provider = s.attachedTo.name;
  return {
    id: `key-quota:${s.scope}:${s.limit}`,
    kind: 'key-quota',
    severity: spent ? 'critical' : 'warning',
    title: `${s.attachedTo.name}: ${spent ? 'the' : `${percent(share)} of the`} ${what} quota ${spent ? 'is used up' : 'is used'}`,
    detail: `The keys of ${s.attachedTo.name} used ${s.used} of the ${s.max} ${what}s policy ${s.policy} allows until ${localTime(s.resetsAt, timeZone)}. ${spent ? 'Requests are refused until then.' : 'Add a key with its own quota, raise the quota, or move traffic to another target.'}`,
    text: { id: `key-quota.${what}s.${spent ? 'spent' : 'used'}`, params: { provider, policy: s.policy, used: s.used, quota: s.max, share, renewsAt: s.resetsAt, timeZone } },
    evidence: { policy: s.policy, used: s.used, quota: s.max, share: percent(share), renewsAt: localTime(s.resetsAt, timeZone) },
    action: { id: 'open-provider', label: `Open ${provider}`, href: attachedLink(s.attachedTo.kind, provider) },
  };
}

/**
 * A budget spent (critical), or one whose burn rate — spent so far over the elapsed part of the
 * period — reaches the amount before the period ends: the forecast is the moment it would.
 */
export function budgetBurn(s: LimitStatus, now: number, timeZone: string): Recommendation | null {
  if (s.limit !== 'budget' || s.max <= 0 || s.used <= 0) return null;
  const currency = s.currency ?? 'USD';
  const elapsed = now - s.periodStart;
  const length = s.resetsAt - s.periodStart;
  const base = { policy: s.policy, spent: money(s.used, currency), budget: money(s.max, currency), spentShare: percent(s.used / s.max), periodEndsAt: localTime(s.resetsAt, timeZone) };
  const params = {
    subjectKind: s.attachedTo.kind, subject: s.attachedTo.name, policy: s.policy, currency, timeZone,
    spent: s.used, budget: s.max, spentShare: s.used / s.max, periodEndsAt: s.resetsAt,
  };
  const action = { id: 'open-subject' as const, label: `Open ${s.attachedTo.name}`, href: attachedLink(s.attachedTo.kind, s.attachedTo.name) };
  if (s.used >= s.max) {
    return {
      id: `budget-burn:${s.scope}`,
      kind: 'budget-burn',
      severity: 'critical',
      title: `${subject(s)}: the budget of ${money(s.max, currency)} is spent`,
      detail: `${money(s.used, currency)} spent of ${money(s.max, currency)} (policy ${s.policy}); the period ends ${localTime(s.resetsAt, timeZone)}. ${s.onExceeded === 'block' ? 'Requests are refused until then.' : 'The policy only alerts: requests go on and cost more.'}`,
      text: { id: 'budget-burn.spent', params: { ...params, onExceeded: s.onExceeded === 'block' ? 'block' : 'alert' } },
      evidence: base,
      action,
    };
  }
  if (length <= 0 || elapsed < Math.max(THRESHOLDS.budgetMinElapsedMs, THRESHOLDS.budgetMinElapsedShare * length)) return null;
  const perMs = s.used / elapsed;
  const exhaustAt = now + (s.max - s.used) / perMs;
  const perDay = perMs * 86_400_000;
  if (exhaustAt >= s.resetsAt) return null;
  return {
    id: `budget-burn:${s.scope}`,
    kind: 'budget-burn',
    severity: exhaustAt - now <= THRESHOLDS.budgetCriticalMs ? 'critical' : 'warning',
    title: `${subject(s)}: at this rate the budget runs out ${localTime(exhaustAt, timeZone)}`,
    detail: `${money(s.used, currency)} of ${money(s.max, currency)} spent in ${percent(elapsed / length)} of the period (policy ${s.policy}): about ${money(perDay, currency)} a day, which exhausts the budget before the period ends ${localTime(s.resetsAt, timeZone)}.`,
    text: { id: 'budget-burn.forecast', params: { ...params, periodPassed: elapsed / length, perDay, exhaustAt: Math.round(exhaustAt) } },
    evidence: { ...base, periodPassed: percent(elapsed / length), perDay: Math.round(perDay * 100) / 100, exhaustAt: localTime(exhaustAt, timeZone) },
    action,
  };
}
