// The pure pieces of the limits: token bucket, calendar windows in the owner's time zone, reset
// durations, token estimates, counter names, budget marks.
import { describe, it, expect } from 'vitest';
import { bucketFits, bucketShape, levelAt, msUntilEmpty, msUntilFits } from '../../../server/limits/token-bucket.ts';
import { WindowCache, windowAt } from '../../../server/limits/calendar-window.ts';
import { resetDuration, retryAfterSeconds } from '../../../server/limits/duration-format.ts';
import { DEFAULT_OUTPUT_TOKENS, estimateTokens, usedTokens } from '../../../server/limits/token-estimate.ts';
import { counterKey, parseCounterKey } from '../../../server/limits/counter-key.ts';
import { crossedPercents } from '../../../server/limits/budget-alerts.ts';
import { compilePolicy, scopeOf } from '../../../server/limits/compiled-policy.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('token bucket', () => {
  const shape = bucketShape(10, 'minute'); // 10 a minute: one drains every 6 s
  it('holds `requests` at once by default, `burst` when given', () => {
    expect(shape.capacity).toBe(10);
    expect(bucketShape(600, 'minute', 50).capacity).toBe(50);
    expect(bucketFits(9, 1, shape)).toBe(true);
    expect(bucketFits(10, 1, shape)).toBe(false);
  });
  it('drains at requests per period', () => {
    expect(levelAt(10, 0, shape, 6_000)).toBeCloseTo(9);
    expect(levelAt(10, 0, shape, 60_000)).toBe(0);
    expect(levelAt(10, 0, shape, 600_000)).toBe(0);
    // A clock that went back does not fill the bucket.
    expect(levelAt(5, 1_000, shape, 0)).toBe(5);
  });
  it('says when one more fits and when it is empty', () => {
    expect(msUntilFits(10, 1, shape)).toBeCloseTo(6_000);
    expect(msUntilFits(4, 1, shape)).toBe(0);
    expect(msUntilFits(0, 11, shape)).toBe(Infinity);
    expect(msUntilEmpty(10, shape)).toBeCloseTo(60_000);
    expect(msUntilEmpty(0, shape)).toBe(0);
  });
});

describe('calendar windows', () => {
  it('turns at local midnight in the owner\'s zone', () => {
    // 20:59 UTC is 23:59 in Riyadh (+3): the day there ends a minute later.
    const before = windowAt(at('2026-05-10T20:59:00Z'), 'day', 'Asia/Riyadh');
    const after = windowAt(at('2026-05-10T21:00:00Z'), 'day', 'Asia/Riyadh');
    expect(iso(before.start)).toBe('2026-05-09T21:00:00.000Z');
    expect(iso(before.end)).toBe('2026-05-10T21:00:00.000Z');
    expect(after.start).toBe(before.end);
    // The same instants are one UTC day.
    expect(windowAt(at('2026-05-10T20:59:00Z'), 'day', 'UTC').start).toBe(windowAt(at('2026-05-10T21:00:00Z'), 'day', 'UTC').start);
  });
  it('turns at month end, in the zone, across the year and in February', () => {
    const w = windowAt(at('2027-02-28T23:30:00Z'), 'month', 'America/New_York'); // 18:30 on 28 Feb there
    expect(iso(w.start)).toBe('2027-02-01T05:00:00.000Z');
    expect(iso(w.end)).toBe('2027-03-01T05:00:00.000Z');
    const dec = windowAt(at('2026-12-31T21:30:00Z'), 'month', 'Asia/Riyadh'); // already January there
    expect(iso(dec.start)).toBe('2026-12-31T21:00:00.000Z');
    expect(iso(dec.end)).toBe('2027-01-31T21:00:00.000Z');
  });
  it('keeps a window until it ends', () => {
    const cache = new WindowCache();
    const a = cache.at(at('2026-05-10T10:00:00Z'), 'day', 'UTC');
    expect(cache.at(at('2026-05-10T23:59:59Z'), 'day', 'UTC')).toBe(a);
    const b = cache.at(at('2026-05-11T00:00:00Z'), 'day', 'UTC');
    expect(b.start).toBe(a.end);
    expect(cache.at(at('2026-05-11T00:00:00Z'), 'day', 'Asia/Riyadh').start).not.toBe(b.start);
  });
});

describe('reset durations and Retry-After', () => {
  it('writes OpenAI\'s duration format', () => {
    expect(resetDuration(0)).toBe('0s');
    expect(resetDuration(12)).toBe('12ms');
    expect(resetDuration(1000)).toBe('1s');
    expect(resetDuration(6_000.5)).toBe('7s');
    expect(resetDuration(360_000)).toBe('6m0s');
    expect(resetDuration(3_723_000)).toBe('1h2m3s');
    expect(resetDuration(26 * 3_600_000)).toBe('26h0m0s');
  });
  it('gives whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(200)).toBe(1);
    expect(retryAfterSeconds(6_000.1)).toBe(7);
  });
});

describe('token estimates', () => {
  it('reserves the input by size plus the output asked for', () => {
    expect(estimateTokens(400, { max_tokens: 50 }, true)).toBe(150);
    expect(estimateTokens(400, { max_completion_tokens: 50, n: 2 }, true)).toBe(200);
    expect(estimateTokens(400, { max_output_tokens: 7 }, false)).toBe(107);
  });
  it('reserves a default output for chat without a maximum, none for other calls, nothing for non-JSON bodies', () => {
    expect(estimateTokens(40, {}, true)).toBe(10 + DEFAULT_OUTPUT_TOKENS);
    expect(estimateTokens(40, {}, false)).toBe(10);
    expect(estimateTokens(1_000_000, undefined, false)).toBe(0);
    expect(estimateTokens(40, { max_tokens: -3 }, false)).toBe(10);
  });
  it('reads the real count from usage', () => {
    expect(usedTokens({ inputTokens: 5, outputTokens: 3 })).toBe(8);
    expect(usedTokens({ totalTokens: 9, inputTokens: 5 })).toBe(9);
    expect(usedTokens({})).toBeUndefined();
  });
});

describe('counter names and scopes', () => {
  it('round-trips', () => {
    const k = counterKey('quota.tokens', 'ai-default', 'binding', 'client-binding:web/chat', 1_700_000_000_000);
    expect(parseCounterKey(k)).toEqual({ kind: 'quota.tokens', policy: 'ai-default', attachKind: 'binding', scope: 'client-binding:web/chat', windowStart: 1_700_000_000_000 });
    expect(parseCounterKey(counterKey('rate', 'p', 'provider', 'provider:openai'))).toEqual({ kind: 'rate', policy: 'p', attachKind: 'provider', scope: 'provider:openai' });
    expect(parseCounterKey('nonsense')).toBeNull();
    expect(parseCounterKey('rate|p|elsewhere|x')).toBeNull();
  });
  it('divides a policy\'s counter by its attachment and scope', () => {
    const byClient = compilePolicy({ name: 'p', rateLimit: { requests: 1, per: 'second' } });
    const byBinding = compilePolicy({ name: 'q', rateLimit: { requests: 1, per: 'second', scope: 'binding' } });
    const both = compilePolicy({ name: 'r', rateLimit: { requests: 1, per: 'second', scope: 'client-binding' } });
    const noRate = compilePolicy({ name: 's', quota: { period: 'day', requests: 5 } });
    expect(scopeOf(byClient, 'client', 'web', 'chat')).toMatchObject({ scope: 'client:web', who: 'client web' });
    expect(scopeOf(byBinding, 'binding', 'web', 'chat')).toMatchObject({ scope: 'binding:chat', who: 'binding chat' });
    expect(scopeOf(both, 'client', 'web', 'chat')).toMatchObject({ scope: 'client-binding:web/chat', who: 'client web on binding chat' });
    // A client's policy counted per binding, a binding's policy per client: each pair apart.
    expect(scopeOf(byBinding, 'client', 'web', 'chat').scope).toBe('client-binding:web/chat');
    expect(scopeOf(byClient, 'binding', 'web', 'chat').scope).toBe('client-binding:web/chat');
    expect(scopeOf(noRate, 'client', 'web', 'chat').scope).toBe('client:web');
    // The policy-level scope: a budget-only policy on a binding counts the binding whole.
    const bindingBudget = compilePolicy({ name: 't', scope: 'binding', budget: { amount: 100, period: 'month' } });
    expect(scopeOf(bindingBudget, 'binding', 'web', 'chat')).toMatchObject({ scope: 'binding:chat', who: 'binding chat' });
  });
  it('compiles a policy once per object and alerts an alerting budget when spent', () => {
    const file = { name: 'b', budget: { amount: 10, period: 'month' as const, alertAtPercent: [80, 50] } };
    expect(compilePolicy(file)).toBe(compilePolicy(file));
    expect(compilePolicy(file).budget).toMatchObject({ block: false, currency: 'USD', alertAtPercent: [50, 80, 100] });
    expect(compilePolicy({ name: 'c', budget: { amount: 10, period: 'day', onExceeded: 'block', alertAtPercent: [90] } }).budget!.alertAtPercent).toEqual([90]);
  });
});

describe('budget marks', () => {
  it('reports each mark once, when crossed', () => {
    expect(crossedPercents(0, 4.9, 10, [50, 80, 100])).toEqual([]);
    expect(crossedPercents(4.9, 5, 10, [50, 80, 100])).toEqual([50]);
    expect(crossedPercents(5, 8.5, 10, [50, 80, 100])).toEqual([80]);
    expect(crossedPercents(0, 12, 10, [50, 80, 100])).toEqual([50, 80, 100]);
    expect(crossedPercents(12, 13, 10, [50, 80, 100])).toEqual([]);
  });
});
