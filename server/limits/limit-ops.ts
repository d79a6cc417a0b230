// The counter operations one request needs for the policies that apply to it, and what each
// result means: the x-ratelimit figures, and for the op that did not fit, the refusal (error
// code, a message naming the policy and the limit, when to retry). Pure.
import type { ErrorCode } from '../errors.ts';
import type { CounterOp } from './counter-store.ts';
import type { AppliedPolicy } from './compiled-policy.ts';
import type { LimitKind } from './limit-status.ts';
import type { WindowCache } from './calendar-window.ts';
import { counterKey } from './counter-key.ts';
import { msUntilEmpty, msUntilFits } from './token-bucket.ts';
import { tighter, type LimitFigures, type LimitHeaderFigures } from './admission.ts';

export interface OpMeta {
  applied: AppliedPolicy;
  kind: LimitKind;
  /** Window end (quota, budget); 0 for a bucket. */
  end: number;
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  retryAfterMs: number;
  policy: string;
  kind: LimitKind;
  /** The limits' figures as they were, for the refusal's x-ratelimit-* headers. */
  figures?: LimitHeaderFigures;
}

const CODES: Record<LimitKind, ErrorCode> = { rate: 'SIL_LIMIT_RATE', 'quota.requests': 'SIL_LIMIT_QUOTA_REQUESTS', 'quota.tokens': 'SIL_LIMIT_QUOTA_TOKENS', budget: 'SIL_LIMIT_BUDGET' };

/** Appends the ops of one applied policy: its rate bucket, request and token quotas, and a blocking budget. */
export function pushOps(ops: CounterOp[], metas: OpMeta[], applied: AppliedPolicy, tokens: number, now: number, timeZone: string, windows: WindowCache): void {
  const { policy: p, attachKind, scope } = applied;
  if (p.rate) {
    ops.push({ type: 'bucket', key: counterKey('rate', p.name, attachKind, scope), amount: 1, capacity: p.rate.shape.capacity, refillPerMs: p.rate.shape.refillPerMs, failMode: p.failMode });
    metas.push({ applied, kind: 'rate', end: 0 });
  }
  if (p.requests) {
    const w = windows.at(now, p.requests.period, timeZone);
    ops.push({ type: 'window', key: counterKey('quota.requests', p.name, attachKind, scope, w.start), amount: 1, max: p.requests.max, expiresAt: w.end, failMode: p.failMode });
    metas.push({ applied, kind: 'quota.requests', end: w.end });
  }
  if (p.tokens) {
    const w = windows.at(now, p.tokens.period, timeZone);
    ops.push({ type: 'window', key: counterKey('quota.tokens', p.name, attachKind, scope, w.start), amount: tokens, max: p.tokens.max, expiresAt: w.end, failMode: p.failMode });
    metas.push({ applied, kind: 'quota.tokens', end: w.end });
  }
  if (p.budget?.block) {
    const w = windows.at(now, p.budget.period, timeZone);
    // Amount 0: passes while the spend is below the budget (the cost is known only afterwards).
    ops.push({ type: 'window', key: counterKey('budget', p.name, attachKind, scope, w.start), amount: 0, max: p.budget.amount, expiresAt: w.end, failMode: p.failMode });
    metas.push({ applied, kind: 'budget', end: w.end });
  }
}

/** Folds the figures of every op that has a count into the admission (used: after adding, or as it was when refused). */
export function foldFigures(admission: LimitHeaderFigures, ops: readonly CounterOp[], metas: readonly OpMeta[], used: readonly number[], now: number): void {
  for (let i = 0; i < ops.length; i++) {
    const u = used[i];
    if (u === undefined) continue;
    const op = ops[i];
    const m = metas[i];
    let f: LimitFigures;
    if (op.type === 'bucket') f = { limit: op.capacity, remaining: op.capacity - u, resetMs: msUntilEmpty(u, op) };
    else if (m.kind === 'budget') continue;
    else f = { limit: op.max, remaining: op.max - u, resetMs: m.end - now };
    if (m.kind === 'quota.tokens') admission.tokens = tighter(admission.tokens, f);
    else admission.requests = tighter(admission.requests, f);
  }
}

/** 12, 12.35, 0.000021: whole numbers as they are, amounts over 1 in cents, small ones to 3 significant digits. */
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : Math.abs(n) >= 1 ? n.toFixed(2) : String(Number(n.toPrecision(3))));

/** The refusal for the op that did not fit, with `used` its count as it was. */
export function refusalOf(op: CounterOp, m: OpMeta, used: number, now: number): Refusal {
  const { policy: p, who } = m.applied;
  const head = `policy "${p.name}"`;
  let message: string;
  let retryAfterMs: number;
  if (op.type === 'bucket') {
    const r = p.rate!;
    const burst = op.capacity !== r.requests ? ` (burst ${op.capacity})` : '';
    message = `${head}: ${r.requests} requests per ${r.per}${burst} for ${who}`;
    const wait = msUntilFits(used, 1, op);
    retryAfterMs = Number.isFinite(wait) ? wait : msUntilEmpty(used, op);
  } else {
    retryAfterMs = m.end - now;
    const period = m.kind === 'budget' ? p.budget!.period : m.kind === 'quota.tokens' ? p.tokens!.period : p.requests!.period;
    if (m.kind === 'quota.requests') message = `${head}: ${op.max} requests per ${period} for ${who}`;
    else if (m.kind === 'quota.tokens') message = `${head}: ${op.max} tokens per ${period} for ${who} (${fmt(Math.max(0, op.max - used))} left, this request may use up to ${op.amount})`;
    else message = `${head}: the budget of ${fmt(op.max)} ${p.budget!.currency} per ${period} for ${who} is spent (${fmt(used)} ${p.budget!.currency})`;
  }
  return { code: CODES[m.kind], message, retryAfterMs, policy: p.name, kind: m.kind };
}

/** Retry-After of a refusal because the shared store cannot be reached (it usually is back within seconds). */
export const STORE_RETRY_MS = 5_000;

/** The refusal of a policy whose failMode is closed while the shared counter store cannot be reached. */
export function unavailableRefusal(m: OpMeta): Refusal {
  const { policy: p, who } = m.applied;
  const message = `policy "${p.name}": the shared counter store (Redis) cannot be reached, and the policy's failMode is closed (for ${who})`;
  return { code: 'SIL_LIMIT_STORE_UNAVAILABLE', message, retryAfterMs: STORE_RETRY_MS, policy: p.name, kind: m.kind };
}
