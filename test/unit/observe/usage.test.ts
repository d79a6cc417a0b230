import { describe, it, expect } from 'vitest';
import { readUsage, costOf } from '../../../server/observe/usage.ts';
import { MemoryUsageRecorder } from '../../../server/observe/usage-recorder.ts';

describe('usage and cost', () => {
  it('reads figures from body paths and headers, ignoring what is missing or not a number', () => {
    const spec = { inputTokens: 'body:usage.prompt_tokens', outputTokens: 'body:usage.completion_tokens', cachedInputTokens: 'body:usage.prompt_tokens_details.cached_tokens', totalTokens: 'header:X-Total' };
    expect(readUsage(spec, { usage: { prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 6 } } }, { 'x-total': '14' })).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, totalTokens: 14 });
    expect(readUsage(spec, { usage: { prompt_tokens: 'ten' } }, {})).toEqual({});
    expect(readUsage(undefined, { usage: {} }, {})).toEqual({});
  });

  it('prices tokens per million, cached input at its own price, and says nothing without prices', () => {
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, { inputPer1M: 2.5, outputPer1M: 10 })).toBe(7.5);
    expect(costOf({ inputTokens: 1_000_000, cachedInputTokens: 400_000 }, { inputPer1M: 2.5, cachedInputPer1M: 1.25 })).toBe(0.6 * 2.5 + 0.4 * 1.25);
    expect(costOf({ inputTokens: 10 }, undefined)).toBeUndefined();
    expect(costOf({}, { inputPer1M: 1 })).toBeUndefined();
    expect(costOf({ seconds: 120 }, { perMinute: 0.006 })).toBeCloseTo(0.012, 10);
    expect(costOf({}, { perImage: 0.04 }, { images: 2 })).toBe(0.08);
  });

  it('aggregates per client, binding, provider and model, bounded in keys', () => {
    const r = new MemoryUsageRecorder(1);
    const base = { requestId: 'x', at: 0, client: 'web', binding: 'chat', provider: 'a', keyId: 'k', status: 200, latencyMs: 1, attempts: 1 };
    r.record({ ...base, model: 'm', usage: { inputTokens: 3, outputTokens: 2 }, cost: 0.5 });
    r.record({ ...base, model: 'm', usage: { inputTokens: 1 }, cost: 0.25 });
    r.record({ ...base, model: 'other', usage: {}, cost: 1 });
    expect([...r.totals]).toEqual([['web|chat|a|m', { requests: 2, inputTokens: 4, outputTokens: 2, cost: 0.75 }]]);
  });
});
