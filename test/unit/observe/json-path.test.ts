// Paths into a JSON answer: dotted members, `[n]` list items and `[field=value]` items by name.
import { describe, it, expect } from 'vitest';
import { compilePath, pickPath, readPath } from '../../../server/observe/json-path.ts';

// Meta Llama's native chat answer (llama-api-python: CreateChatCompletionResponse.metrics).
const LLAMA = {
  completion_message: { role: 'assistant', content: { type: 'text', text: 'Hi' } },
  metrics: [
    { metric: 'num_completion_tokens', value: 25, unit: 'tokens' },
    { metric: 'num_prompt_tokens', value: 12, unit: 'tokens' },
    { metric: 'num_total_tokens', value: 37, unit: 'tokens' },
  ],
};

describe('json paths', () => {
  it('compiles members, indexes and field selectors', () => {
    expect(compilePath('usage.prompt_tokens')).toEqual([{ key: 'usage' }, { key: 'prompt_tokens' }]);
    expect(compilePath('metrics[1].value')).toEqual([{ key: 'metrics' }, { index: 1 }, { key: 'value' }]);
    expect(compilePath('metrics[metric=num_prompt_tokens].value')).toEqual([{ key: 'metrics' }, { field: 'metric', value: 'num_prompt_tokens' }, { key: 'value' }]);
    expect(compilePath('a[0][k=v.w]')).toEqual([{ key: 'a' }, { index: 0 }, { field: 'k', value: 'v.w' }]);
    for (const bad of ['', '.a', 'a.', 'a..b', 'a[', 'a[]', 'a[=x]', 'a[k=]', 'a[x]', 'a b']) expect(compilePath(bad)).toBeUndefined();
  });

  it('selects a list item by the value of a field, whatever the order', () => {
    expect(pickPath(LLAMA, 'metrics[metric=num_prompt_tokens].value')).toBe(12);
    expect(pickPath(LLAMA, 'metrics[metric=num_completion_tokens].value')).toBe(25);
    const reordered = { metrics: [...LLAMA.metrics].reverse() };
    expect(pickPath(reordered, 'metrics[metric=num_prompt_tokens].value')).toBe(12);
    expect(pickPath(LLAMA, 'metrics[metric=num_cached_tokens].value')).toBeUndefined();
  });

  it('selects by index, and compares field values as text', () => {
    expect(pickPath(LLAMA, 'metrics[2].value')).toBe(37);
    expect(pickPath(LLAMA, 'metrics[3].value')).toBeUndefined();
    expect(pickPath({ a: [{ id: 7, n: 1 }] }, 'a[id=7].n')).toBe(1);
  });

  it('finds nothing where the shape differs, and never reads inherited members', () => {
    expect(pickPath({ metrics: { value: 1 } }, 'metrics[0].value')).toBeUndefined();
    expect(pickPath({ metrics: [1, 2] }, 'metrics.length')).toBeUndefined();
    expect(pickPath({}, 'constructor.name')).toBeUndefined();
    expect(readPath(null, [{ key: 'a' }])).toBeUndefined();
    expect(pickPath(LLAMA, 'not a path')).toBeUndefined();
  });
});
