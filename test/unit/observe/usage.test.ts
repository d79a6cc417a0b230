import { describe, it, expect } from 'vitest';
import { readUsage, costOf, bodyKeysOf } from '../../../server/observe/usage.ts';
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
    expect(costOf({ images: 2 }, { perImage: 0.04 })).toBe(0.08);
  });

  it('reads list items by index and by the value of a field (Meta Llama metrics[])', () => {
    const spec = { inputTokens: 'body:metrics[metric=num_prompt_tokens].value', outputTokens: 'body:metrics[metric=num_completion_tokens].value', totalTokens: 'body:metrics[2].value' };
    const body = { metrics: [{ metric: 'num_completion_tokens', value: 25, unit: 'tokens' }, { metric: 'num_prompt_tokens', value: 12, unit: 'tokens' }, { metric: 'num_total_tokens', value: 37, unit: 'tokens' }] };
    expect(readUsage(spec, body, {})).toEqual({ inputTokens: 12, outputTokens: 25, totalTokens: 37 });
    expect(readUsage(spec, { metrics: [...body.metrics].reverse() }, {})).toEqual({ inputTokens: 12, outputTokens: 25, totalTokens: 25 });
    expect(bodyKeysOf(spec)).toEqual(new Set(['metrics']));
  });

  it('reads cache writes, and the convention flag is not a source', () => {
    const spec = { inputTokens: 'body:usage.input_tokens', cachedInputTokens: 'body:usage.cache_read_input_tokens', cacheWriteTokens: 'body:usage.cache_creation_input_tokens', inputIncludesCached: false };
    expect(readUsage(spec, { usage: { input_tokens: 472, cache_read_input_tokens: 128, cache_creation_input_tokens: 20 } }, {})).toEqual({ inputTokens: 472, cachedInputTokens: 128, cacheWriteTokens: 20 });
    expect(bodyKeysOf(spec)).toEqual(new Set(['usage']));
  });

  it('prices cached tokens right under both conventions (Anthropic excludes them from input, OpenAI includes them)', () => {
    const sonnet = { inputPer1M: 3, cachedInputPer1M: 0.3, cacheWritePer1M: 3.75, outputPer1M: 15 };
    // Anthropic: input_tokens 1M (neither read nor written), 2M cache reads, 0.4M cache writes.
    const anthropic = { inputTokens: 1_000_000, cachedInputTokens: 2_000_000, cacheWriteTokens: 400_000, outputTokens: 100_000 };
    expect(costOf(anthropic, sonnet, { inputIncludesCached: false })).toBeCloseTo(3 + 0.6 + 1.5 + 1.5, 8);
    // The same traffic written the OpenAI way (input counts everything): the same cost.
    const openaiStyle = { inputTokens: 3_400_000, cachedInputTokens: 2_000_000, cacheWriteTokens: 400_000, outputTokens: 100_000 };
    expect(costOf(openaiStyle, sonnet, { inputIncludesCached: true })).toBeCloseTo(3 + 0.6 + 1.5 + 1.5, 8);
    expect(costOf(openaiStyle, sonnet)).toBeCloseTo(6.6, 8); // true is the default
    // Before this convention, Anthropic's cache reads were subtracted from input that never held them.
    expect(costOf(anthropic, sonnet)).not.toBeCloseTo(6.6, 2);
    // Without prices of their own, cached tokens cost as input under either convention.
    const plain = { inputPer1M: 3 };
    expect(costOf({ inputTokens: 1_000_000, cachedInputTokens: 500_000, cacheWriteTokens: 500_000 }, plain, { inputIncludesCached: false })).toBe(6);
    expect(costOf({ inputTokens: 2_000_000, cachedInputTokens: 500_000, cacheWriteTokens: 500_000 }, plain, { inputIncludesCached: true })).toBe(6);
  });

  it('adds up a list of sources (Gemini output plus thinking tokens), recording a figure when any part is there', () => {
    const spec = { outputTokens: ['body:usageMetadata.candidatesTokenCount', 'body:usageMetadata.thoughtsTokenCount'], images: 'body:metrics.image_count' } as never;
    expect(readUsage(spec, { usageMetadata: { candidatesTokenCount: 12, thoughtsTokenCount: 30 } }, {})).toEqual({ outputTokens: 42 });
    expect(readUsage(spec, { usageMetadata: { candidatesTokenCount: 12 } }, {})).toEqual({ outputTokens: 12 });
    expect(readUsage(spec, { metrics: { image_count: 4 } }, {})).toEqual({ images: 4 });
    expect(costOf(readUsage(spec, { metrics: { image_count: 4 } }, {}), { perImage: 0.003 })).toBe(0.012);
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
