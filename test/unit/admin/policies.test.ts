// The policies screen's pure logic (admin/src/lib/policies.ts): a policy in words in English and
// Arabic, where it is attached, its live counters, and the form to and from the API's document
// (defaults written only when they were there, alerts kept, simple checks before sending).
import { describe, expect, it } from 'vitest';
import {
  attachmentsOf, countersOf, fill, formProblems, parsePercents, policyFormOf, policyOf, policyParts, policySummary, refusedCount, usedOfMax,
  type LimitStatus, type Policy, type Translate,
} from '../../../admin/src/lib/policies.ts';
import { formats } from '../../../admin/src/lib/analytics-format.ts';
import en from '../../../admin/src/i18n/policies.en.ts';
import ar from '../../../admin/src/i18n/policies.ar.ts';
import { policy as validate } from '../../../schemas/validators.gen.js';

const translate = (dict: Record<string, string>): Translate => (key, vars) =>
  (dict[key] ?? key).replace(/\{(\w+)\}/g, (m, n: string) => (vars && n in vars ? String(vars[n]) : m));
const tEn = translate(en);
const fEn = formats('en');

const full: Policy = {
  name: 'web',
  description: 'The web app',
  rateLimit: { requests: 60, per: 'minute', burst: 10 },
  quota: { tokens: 2_000_000, period: 'month' },
  budget: { amount: 50, currency: 'USD', period: 'month', onExceeded: 'block' },
};

describe('a policy in words', () => {
  it('says what each part limits, joined with a middle dot', () => {
    expect(policySummary(full, fEn, tEn)).toBe('60 requests / minute, burst 10 · 2,000,000 tokens / month · 50 USD / month, blocks');
  });

  it('names a scope other than the client, both quotas, alert marks, alert rules, and a policy that limits nothing', () => {
    const p: Policy = {
      name: 'x',
      rateLimit: { requests: 5, per: 'second', scope: 'client-binding' },
      quota: { requests: 1000, tokens: 5000, period: 'day' },
      budget: { amount: 12.5, currency: 'EUR', period: 'day', alertAtPercent: [50, 80] },
      alerts: [{ metric: 'error-rate', threshold: 0.1 }],
    };
    expect(policyParts(p, fEn, tEn)).toEqual([
      '5 requests / second, counted per client and binding',
      '1,000 requests / day',
      '5,000 tokens / day',
      '12.5 EUR / day, alerts only (alerts at 50, 80 %)',
      '1 alert rules',
    ]);
    expect(policySummary({ name: 'empty' }, fEn, tEn)).toBe('Limits nothing');
  });

  it('writes Arabic with Arabic-Indic digits through the analytics formatter', () => {
    const text = policySummary(full, formats('ar-u-nu-arab-ca-gregory'), translate(ar));
    expect(text).toContain('٦٠ طلب / دقيقة');
    expect(text).toContain('٢٬٠٠٠٬٠٠٠ رمز / شهر');
    expect(text).not.toMatch(/[0-9]/);
  });
});

describe('where a policy is attached and what it counts', () => {
  it('finds the clients, bindings and providers that name it, each kind sorted', () => {
    const from = {
      clients: [{ name: 'web', policy: 'p' }, { name: 'app', policy: 'p' }, { name: 'cli' }],
      bindings: [{ name: 'chat', policy: 'q' }, { name: 'embed', policy: 'p' }],
      providers: [{ id: 'openai-main', name: 'OpenAI (main)', policy: 'p' }, { id: 'anthropic', name: 'Anthropic' }],
    };
    expect(attachmentsOf('p', from)).toEqual([
      { kind: 'client', name: 'app' }, { kind: 'client', name: 'web' }, { kind: 'binding', name: 'embed' }, { kind: 'provider', name: 'openai-main' },
    ]);
    expect(attachmentsOf('none', from)).toEqual([]);
  });

  const row = (limit: LimitStatus['limit'], scope: string, used: number, max: number, extra: Partial<LimitStatus> = {}): LimitStatus => ({
    policy: 'p', attachedTo: { kind: 'client', name: scope.split(':')[1] }, scope, limit, used, max, periodStart: 0, resetsAt: 1, ...extra,
  });

  it('orders its counters rate, quotas, budget, then by scope, leaving other policies out', () => {
    const limits = [row('budget', 'client:a', 1, 5), row('quota.requests', 'client:b', 1, 5), row('rate', 'client:b', 1, 5), row('quota.requests', 'client:a', 1, 5), { ...row('rate', 'client:a', 1, 5), policy: 'other' }];
    expect(countersOf('p', limits).map((l) => `${l.limit} ${l.scope}`)).toEqual(['rate client:b', 'quota.requests client:a', 'quota.requests client:b', 'budget client:a']);
  });

  it('shows used of max (money for budgets, whole requests for a rate bucket) and how full it is', () => {
    expect(usedOfMax(row('quota.requests', 'client:a', 3, 1000), fEn)).toBe('3 / 1,000');
    expect(usedOfMax(row('rate', 'client:a', 2.4, 10), fEn)).toBe('3 / 10');
    expect(usedOfMax(row('budget', 'client:a', 0.0012, 50, { currency: 'USD' }), fEn)).toBe('$0.0012 / $50.00');
    expect(fill({ used: 3, max: 12 })).toBe(0.25);
    expect(fill({ used: 30, max: 12 })).toBe(1);
    expect(fill({ used: 1, max: 0 })).toBe(0);
  });

  it('adds up the refusals of a policy', () => {
    expect(refusedCount('p', [{ policy: 'p', count: 2 }, { policy: 'q', count: 5 }, { policy: 'p', count: 1 }])).toBe(3);
  });
});

describe('the policy form', () => {
  it('round-trips a full policy without writing defaults it did not have', () => {
    const form = policyFormOf(full);
    expect(form.rate).toEqual({ on: true, requests: '60', per: 'minute', burst: '10' });
    expect(form.scope).toBe('client');
    expect(form.budget.alertAtPercent).toBe('');
    expect(policyOf(form, full)).toEqual(full);
    expect(validate(policyOf(form, full))).toBe(true);
  });

  it('starts a new policy with every section off and writes only what is turned on', () => {
    const form = policyFormOf(null);
    expect([form.rate.on, form.quota.on, form.budget.on]).toEqual([false, false, false]);
    form.name = ' team ';
    form.quota = { ...form.quota, on: true, requests: '500', period: 'day' };
    expect(policyOf(form)).toEqual({ name: 'team', quota: { requests: 500, period: 'day' } });
    form.budget = { ...form.budget, on: true, amount: '20', currency: 'eur', onExceeded: 'block', alertAtPercent: '80, 50 50' };
    form.rate = { ...form.rate, on: true, requests: '10' };
    form.scope = 'binding';
    const p = policyOf(form);
    expect(p.budget).toEqual({ amount: 20, currency: 'EUR', period: 'month', onExceeded: 'block', alertAtPercent: [50, 80] });
    expect(p.rateLimit).toEqual({ requests: 10, per: 'minute' });
    expect(p.scope).toBe('binding');
    expect(validate(p)).toBe(true);
  });

  it('writes the scope at the top, keeping an older rateLimit.scope equal to it, so a budget-only policy can count a binding whole', () => {
    const budgetOnly = policyFormOf(null);
    budgetOnly.name = 'chat-budget';
    budgetOnly.scope = 'binding';
    budgetOnly.budget = { ...budgetOnly.budget, on: true, amount: '100' };
    expect(policyOf(budgetOnly)).toEqual({ name: 'chat-budget', scope: 'binding', budget: { amount: 100, period: 'month' } });
    const older: Policy = { name: 'o', rateLimit: { requests: 1, per: 'second', scope: 'binding' } };
    const form = policyFormOf(older);
    expect(form.scope).toBe('binding');
    form.scope = 'client-binding';
    expect(policyOf(form, older)).toEqual({ name: 'o', rateLimit: { requests: 1, per: 'second', scope: 'client-binding' } });
    expect(policyParts({ name: 'b', scope: 'binding', budget: { amount: 5, period: 'day' } }, fEn, tEn)[0]).toMatch(/, counted per binding$/);
  });

  it('keeps alert rules and explicit defaults of the original, and drops a section turned off', () => {
    const original: Policy = { name: 'o', rateLimit: { requests: 1, per: 'second', scope: 'client' }, budget: { amount: 1, period: 'day', onExceeded: 'alert' }, alerts: [{ metric: 'cost', threshold: 5 }] };
    const form = policyFormOf(original);
    expect(policyOf(form, original)).toEqual(original);
    form.rate.on = false;
    form.description = 'now described';
    expect(policyOf(form, original)).toEqual({ name: 'o', description: 'now described', budget: original.budget, alerts: original.alerts });
  });

  it('reads alert percents, refusing what is not a whole percent 1..100', () => {
    expect(parsePercents('100, 50 80%')).toEqual([50, 80, 100]);
    expect(parsePercents('')).toEqual([]);
    expect(parsePercents('0')).toBeNull();
    expect(parsePercents('101')).toBeNull();
    expect(parsePercents('50.5')).toBeNull();
  });

  it('points out what it can tell before sending', () => {
    const form = policyFormOf(null);
    expect(formProblems(form)).toEqual({ name: true });
    form.name = 'ok';
    expect(formProblems(form)).toEqual({});
    form.rate = { ...form.rate, on: true, requests: '', burst: '0' };
    form.quota = { ...form.quota, on: true };
    form.budget = { ...form.budget, on: true, amount: '0', currency: 'dollars', alertAtPercent: '50, 120' };
    expect(formProblems(form)).toEqual({ rateRequests: true, rateBurst: true, quotaEmpty: true, budgetAmount: true, budgetCurrency: true, budgetAlertAt: true });
    form.quota.tokens = '1.5';
    expect(formProblems(form).quotaTokens).toBe(true);
    expect(formProblems(form).quotaEmpty).toBeUndefined();
  });
});
