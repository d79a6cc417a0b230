// The policies screen's state and pure logic: a policy in words ("60 requests / minute, burst 10
// · 50 USD / month, blocks"), where it is attached, its live counters, and the form to and from
// the API's document (fields the form does not show, such as `alerts`, are kept as they are).
// No DOM, no I/O: tested in Node (test/unit/admin/policies.test.ts).

import type { Policy as PolicyFile } from '../../../schemas/types.gen.ts';
import type { LimitStatus, LimitKind } from '../../../server/limits/limit-status.ts';
import type { Formats } from './analytics-format.ts';

export type Policy = PolicyFile;
export type { LimitStatus, LimitKind };
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export const RATE_PERIODS = ['second', 'minute', 'hour', 'day'] as const;
export const SCOPES = ['client', 'binding', 'client-binding'] as const;
export const PERIODS = ['day', 'month'] as const;
export const ON_EXCEEDED = ['alert', 'block'] as const;
export const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const LIMIT_ORDER: readonly LimitKind[] = ['rate', 'quota.requests', 'quota.tokens', 'budget'];

// ---- a policy in words ----

/** What a policy limits, one phrase per part (rate, quota, budget, alerts); joined with " · ". */
export function policyParts(p: Policy, f: Pick<Formats, 'number'>, t: Translate): string[] {
  const out: string[] = [];
  const per = (period: string) => t(`policies.per.${period}`);
  if (p.rateLimit) {
    const r = p.rateLimit;
    let text = t('policies.sum.rate', { requests: f.number(r.requests), per: per(r.per) });
    if (r.burst !== undefined) text += t('policies.sum.burst', { burst: f.number(r.burst) });
    out.push(text);
  }
  if (p.quota) {
    const q = p.quota;
    if (q.requests !== undefined) out.push(t('policies.sum.requests', { requests: f.number(q.requests), per: per(q.period) }));
    if (q.tokens !== undefined) out.push(t('policies.sum.tokens', { tokens: f.number(q.tokens), per: per(q.period) }));
  }
  if (p.budget) {
    const b = p.budget;
    let text = t('policies.sum.budget', { amount: f.number(b.amount, 2), currency: b.currency ?? 'USD', per: per(b.period) });
    text += t(b.onExceeded === 'block' ? 'policies.sum.blocks' : 'policies.sum.alerts');
    if (b.alertAtPercent?.length) text += t('policies.sum.alertAt', { percents: b.alertAtPercent.map((n) => f.number(n)).join(t('policies.sum.listSep')) });
    out.push(text);
  }
  if (p.alerts?.length) out.push(t('policies.sum.alertRules', { count: f.number(p.alerts.length) }));
  const scope = p.scope ?? p.rateLimit?.scope;
  if (scope && scope !== 'client' && out.length > 0) out[0] += t(`policies.sum.scope.${scope}`);
  return out;
}

export function policySummary(p: Policy, f: Pick<Formats, 'number'>, t: Translate): string {
  const parts = policyParts(p, f, t);
  return parts.length ? parts.join(' · ') : t('policies.sum.nothing');
}

// ---- where it is attached, and its counters ----

export type AttachKind = 'client' | 'binding' | 'provider';
export interface Attachment { kind: AttachKind; name: string }
interface Named { name?: string; id?: string; policy?: string }

/** Everything that names `policy`: clients, then bindings, then providers (by id: their `name` is a display name). */
export function attachmentsOf(policy: string, from: { clients: Named[]; bindings: Named[]; providers: Named[] }): Attachment[] {
  const pick = (kind: AttachKind, list: Named[]) =>
    list.filter((x) => x.policy === policy).map((x) => ({ kind, name: (kind === 'provider' ? x.id : x.name) ?? x.name ?? x.id ?? '' })).sort((a, b) => (a.name < b.name ? -1 : 1));
  return [...pick('client', from.clients), ...pick('binding', from.bindings), ...pick('provider', from.providers)];
}

/** The live counters of a policy, rate first, then quotas, then the budget; by scope within. */
export function countersOf(policy: string, limits: readonly LimitStatus[]): LimitStatus[] {
  return limits
    .filter((l) => l.policy === policy)
    .sort((a, b) => LIMIT_ORDER.indexOf(a.limit) - LIMIT_ORDER.indexOf(b.limit) || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

/** How full a counter is, 0..1 (over the limit shows as full). */
export const fill = (l: Pick<LimitStatus, 'used' | 'max'>): number => (l.max > 0 ? Math.min(1, Math.max(0, l.used / l.max)) : 0);

/** "3 / 1,000", or money for a budget ("$0.0012 / $50.00"). */
export function usedOfMax(l: LimitStatus, f: Pick<Formats, 'number' | 'money'>): string {
  const v = (n: number) => (l.limit === 'budget' && l.currency ? f.money(n, l.currency) : f.number(l.limit === 'rate' ? Math.ceil(n) : n));
  return `${v(l.used)} / ${v(l.max)}`;
}

/** Requests refused since the hub started, per policy. */
export function refusedCount(policy: string, rejections: readonly { policy: string; count: number }[]): number {
  return rejections.filter((r) => r.policy === policy).reduce((sum, r) => sum + r.count, 0);
}

// ---- the form ----

export interface PolicyForm {
  name: string;
  description: string;
  /** How every limit is counted: client, binding, client-binding (the policy's `scope`). */
  scope: string;
  rate: { on: boolean; requests: string; per: string; burst: string };
  quota: { on: boolean; period: string; requests: string; tokens: string };
  budget: { on: boolean; amount: string; currency: string; period: string; onExceeded: string; alertAtPercent: string };
}

const str = (n: number | undefined) => (n === undefined ? '' : String(n));

export function policyFormOf(p: Policy | null): PolicyForm {
  const r = p?.rateLimit;
  const q = p?.quota;
  const b = p?.budget;
  return {
    name: p?.name ?? '',
    description: p?.description ?? '',
    scope: p?.scope ?? r?.scope ?? 'client',
    rate: { on: !!r, requests: str(r?.requests), per: r?.per ?? 'minute', burst: str(r?.burst) },
    quota: { on: !!q, period: q?.period ?? 'month', requests: str(q?.requests), tokens: str(q?.tokens) },
    budget: { on: !!b, amount: str(b?.amount), currency: b?.currency ?? 'USD', period: b?.period ?? 'month', onExceeded: b?.onExceeded ?? 'alert', alertAtPercent: (b?.alertAtPercent ?? []).join(', ') },
  };
}

/** "50, 80 100" → [50, 80, 100]; null when a word is not a whole percent 1..100. */
export function parsePercents(text: string): number[] | null {
  const words = text.split(/[\s,،%]+/).filter(Boolean);
  if (!words.every((w) => /^\d{1,3}$/.test(w) && Number(w) >= 1 && Number(w) <= 100)) return null;
  return [...new Set(words.map(Number))].sort((a, b) => a - b);
}

type Json = Record<string, unknown>;

/**
 * The document to PUT/POST: the original's other fields kept (alerts), each section written when
 * it is on, a default (scope client, currency USD, onExceeded alert) only when the original had it.
 * The scope goes to the top level; a `rateLimit.scope` the original had is kept equal to it.
 */
export function policyOf(form: PolicyForm, original: Policy | null = null): Policy {
  const out: Json = { ...(original ?? {}), name: form.name.trim() };
  const set = (o: Json, key: string, value: unknown, keep: boolean) => (keep ? (o[key] = value) : delete o[key]);
  set(out, 'description', form.description.trim(), form.description.trim() !== '');
  const hadRateScope = original?.rateLimit?.scope !== undefined;
  const inRate = hadRateScope && form.rate.on;
  set(out, 'scope', form.scope, (form.scope !== 'client' && !inRate) || original?.scope !== undefined);
  const num = (v: string) => Number(v.trim());
  const given = (v: string) => v.trim() !== '';

  const r = form.rate;
  const rate: Json = { requests: num(r.requests), per: r.per };
  if (given(r.burst)) rate.burst = num(r.burst);
  set(rate, 'scope', form.scope, hadRateScope);
  set(out, 'rateLimit', rate, r.on);

  const q = form.quota;
  const quota: Json = {};
  if (given(q.requests)) quota.requests = num(q.requests);
  if (given(q.tokens)) quota.tokens = num(q.tokens);
  quota.period = q.period;
  set(out, 'quota', quota, q.on);

  const b = form.budget;
  const was = original?.budget;
  const budget: Json = { amount: num(b.amount) };
  set(budget, 'currency', b.currency.trim().toUpperCase(), b.currency.trim().toUpperCase() !== 'USD' || was?.currency !== undefined);
  budget.period = b.period;
  set(budget, 'onExceeded', b.onExceeded, b.onExceeded !== 'alert' || was?.onExceeded !== undefined);
  const percents = parsePercents(b.alertAtPercent) ?? [];
  set(budget, 'alertAtPercent', percents, percents.length > 0);
  set(out, 'budget', budget, b.on);
  return out as unknown as Policy;
}

export type FormProblem = 'name' | 'rateRequests' | 'rateBurst' | 'quotaEmpty' | 'quotaRequests' | 'quotaTokens' | 'budgetAmount' | 'budgetCurrency' | 'budgetAlertAt';

/** What the form can tell before sending; the server's validator checks the rest (422). */
export function formProblems(form: PolicyForm): Partial<Record<FormProblem, true>> {
  const p: Partial<Record<FormProblem, true>> = {};
  const count = (v: string, required: boolean) => (v.trim() === '' ? !required : /^\d{1,15}$/.test(v.trim()) && Number(v) >= 1);
  if (!NAME.test(form.name.trim())) p.name = true;
  if (form.rate.on) {
    if (!count(form.rate.requests, true)) p.rateRequests = true;
    if (!count(form.rate.burst, false)) p.rateBurst = true;
  }
  if (form.quota.on) {
    if (form.quota.requests.trim() === '' && form.quota.tokens.trim() === '') p.quotaEmpty = true;
    if (!count(form.quota.requests, false)) p.quotaRequests = true;
    if (!count(form.quota.tokens, false)) p.quotaTokens = true;
  }
  if (form.budget.on) {
    const a = form.budget.amount.trim();
    if (!/^\d+(\.\d+)?$/.test(a) || !(Number(a) > 0)) p.budgetAmount = true;
    if (!/^[A-Za-z]{3}$/.test(form.budget.currency.trim())) p.budgetCurrency = true;
    if (parsePercents(form.budget.alertAtPercent) === null) p.budgetAlertAt = true;
  }
  return p;
}
