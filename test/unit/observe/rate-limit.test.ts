// The rate-limit parser: a provider answer's headers read as its template's `rateLimit` says,
// with the header values the providers document.
import { describe, it, expect } from 'vitest';
import { parseDuration, parseReset, parseStructuredList, providerRetryAfterMs, readRateLimit, waitMs } from '../../../server/observe/rate-limit.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';

const catalog = projectCatalog().catalog;
const rateLimitOf = (id: string) => catalog.get(id)!.rateLimit!;
const NOW = Date.parse('2025-08-05T12:00:00Z');

describe('rate-limit headers', () => {
  it('cloudflare: structured Ratelimit / Ratelimit-Policy (r, t, q, w)', () => {
    const spec = rateLimitOf('cloudflare');
    expect(spec.structured).toEqual({ header: 'Ratelimit', policyHeader: 'Ratelimit-Policy' });
    // developers.cloudflare.com/fundamentals/api/reference/limits: the examples as documented.
    const r = readRateLimit(spec, { ratelimit: '"default";r=50;t=30', 'ratelimit-policy': '"burst";q=100;w=60' }, NOW);
    expect(r).toEqual({ limit: 100, remaining: 50, resetAt: NOW + 30_000 });
    expect(waitMs(r, NOW)).toBeUndefined();
    const exhausted = readRateLimit(spec, { ratelimit: '"default";r=0;t=42', 'ratelimit-policy': '"default";q=1200;w=300' }, NOW);
    expect(exhausted).toEqual({ limit: 1200, remaining: 0, resetAt: NOW + 42_000 });
    expect(waitMs(exhausted, NOW)).toBe(42_000);
  });

  it('structured lists: items paired with their policy by name, the tightest reported', () => {
    const spec = { structured: { header: 'RateLimit', policyHeader: 'RateLimit-Policy' } };
    const r = readRateLimit(spec, { ratelimit: '"burst";r=90;t=1, "daily";r=5;t=3600', 'ratelimit-policy': '"burst";q=100;w=1, "daily";q=1000;w=86400' }, NOW);
    expect(r).toEqual({ limit: 1000, remaining: 5, resetAt: NOW + 3_600_000 });
    // draft-07 dictionary form
    expect(readRateLimit(spec, { ratelimit: 'limit=100, remaining=7, reset=12' }, NOW)).toEqual({ limit: 100, remaining: 7, resetAt: NOW + 12_000 });
    expect(parseStructuredList('"a;b";r=1, c;q=2')).toEqual([{ name: 'a;b', params: new Map([['r', '1']]) }, { name: 'c', params: new Map([['q', '2']]) }]);
  });

  it('cloudinary: X-FeatureRateLimit-Reset as an HTTP date', () => {
    const spec = rateLimitOf('cloudinary');
    expect(spec.resetFormat).toBe('http-date');
    const r = readRateLimit(spec, { 'x-featureratelimit-limit': '500', 'x-featureratelimit-remaining': '0', 'x-featureratelimit-reset': 'Tue, 05 Aug 2025 13:00:00 GMT' }, NOW);
    expect(r).toEqual({ limit: 500, remaining: 0, resetAt: Date.parse('2025-08-05T13:00:00Z') });
    expect(waitMs(r, NOW)).toBe(3_600_000);
  });

  it('openai: durations, the tightest of requests and tokens', () => {
    const headers = {
      'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '150', 'x-ratelimit-reset-tokens': '1m30s',
    };
    expect(readRateLimit(rateLimitOf('openai'), headers, NOW)).toEqual({ limit: 30000, remaining: 150, resetAt: NOW + 90_000 });
  });

  it('anthropic rfc3339, hetzner unix, imgur one reset for two windows, and header names in any case', () => {
    expect(readRateLimit(rateLimitOf('anthropic'), { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2025-08-05T12:00:20Z' }, NOW)).toEqual({ limit: 50, remaining: 0, resetAt: NOW + 20_000 });
    expect(readRateLimit(rateLimitOf('hetzner'), { 'RateLimit-Limit': '3600', 'RateLimit-Remaining': '3599', 'RateLimit-Reset': String(NOW / 1000 + 1) }, NOW)).toEqual({ limit: 3600, remaining: 3599, resetAt: NOW + 1000 });
    expect(readRateLimit(rateLimitOf('imgur'), { 'x-ratelimit-userlimit': '2000', 'x-ratelimit-userremaining': '1999', 'x-ratelimit-clientlimit': '12500', 'x-ratelimit-clientremaining': '10', 'x-ratelimit-userreset': String(NOW / 1000 + 60) }, NOW)).toEqual({ limit: 12500, remaining: 10, resetAt: NOW + 60_000 });
  });

  it('retry-after: seconds or date, the template header, or the body (telegram)', () => {
    expect(readRateLimit({}, { 'retry-after': '7' }, NOW).retryAfterMs).toBe(7000);
    expect(readRateLimit({}, { 'retry-after': 'Tue, 05 Aug 2025 12:00:09 GMT' }, NOW).retryAfterMs).toBe(9000);
    expect(readRateLimit({ retryAfter: 'X-Wait' }, { 'x-wait': '2', 'retry-after': '9' }, NOW).retryAfterMs).toBe(2000);
    const telegram = rateLimitOf('telegram');
    expect(readRateLimit(telegram, {}, NOW, { ok: false, error_code: 429, parameters: { retry_after: 3 } })).toEqual({ retryAfterMs: 3000 });
    expect(readRateLimit(undefined, { 'retry-after': '7' }, NOW)).toEqual({});
  });

  it('reset formats', () => {
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('20ms')).toBe(20);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseReset('30', 'seconds', NOW)).toBe(NOW + 30_000);
    expect(parseReset('250', 'milliseconds', NOW)).toBe(NOW + 250);
    expect(parseReset('Tue, 05 Aug 2025 13:00:00 GMT', 'http-date', NOW)).toBe(NOW + 3_600_000);
    expect(parseReset('not a date', 'http-date', NOW)).toBeUndefined();
    expect(parseReset(String(NOW / 1000 + 5), undefined, NOW)).toBe(NOW + 5000);
    expect(parseReset('5', undefined, NOW)).toBe(NOW + 5000);
  });

  it('failover waits: a plain retry-after on any answer, the template description only on a 429', () => {
    const spec = rateLimitOf('cloudflare');
    expect(providerRetryAfterMs(503, { 'retry-after': '4' }, undefined, NOW)).toBe(4000);
    expect(providerRetryAfterMs(200, { ratelimit: '"default";r=0;t=30' }, spec, NOW)).toBeUndefined();
    expect(providerRetryAfterMs(429, { ratelimit: '"default";r=0;t=30' }, spec, NOW)).toBe(30_000);
    expect(providerRetryAfterMs(429, { ratelimit: '"default";r=3;t=30' }, spec, NOW)).toBeUndefined();
    expect(providerRetryAfterMs(429, {}, undefined, NOW)).toBeUndefined();
  });
});
