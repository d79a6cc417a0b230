import { describe, it, expect } from 'vitest';
import { attemptOutcome, labelBoundsOf, statusClass } from '../../../../server/observe/metrics/label-bounds.ts';
import { keyOf, SeriesTable, SEP } from '../../../../server/observe/metrics/series-table.ts';
import { fakeSnapshot } from './fake-snapshot.ts';

const snapshot = fakeSnapshot({
  providers: { openai: { chat: ['gpt-4o', 'gpt-4o-mini'] }, anthropic: { messages: ['claude-sonnet-4-5'] } },
  bindings: { chat: ['gpt-4o-mini', 'custom-model'] },
});

describe('label bounds', () => {
  const b = labelBoundsOf(snapshot);

  it('keeps binding and provider names the config declares and turns the rest into "other"', () => {
    expect(b.binding('chat')).toBe('chat');
    expect(b.binding('chat/../../etc')).toBe('other');
    expect(b.binding('')).toBe('none');
    expect(b.provider('openai')).toBe('openai');
    expect(b.provider('evil-provider')).toBe('other');
    expect(b.provider(undefined)).toBe('none');
  });

  it('keeps template and binding models, counts dated variants under their configured name, the rest as "other"', () => {
    expect(b.model('gpt-4o')).toBe('gpt-4o');
    expect(b.model('custom-model')).toBe('custom-model');
    expect(b.model('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(b.model('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(b.model('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(b.model('gpt-4ox')).toBe('other');
    expect(b.model('req-3f9a1c2e-0000-4000-8000-000000000000')).toBe('other');
    expect(b.model(undefined)).toBe('none');
  });

  it('is built once per snapshot; no snapshot knows no names', () => {
    expect(labelBoundsOf(snapshot)).toBe(b);
    expect(labelBoundsOf(null).binding('chat')).toBe('other');
  });

  it('maps statuses to classes and attempts to a small set of outcomes', () => {
    expect([200, 204, 301, 404, 429, 503, 0, 600, 99].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx', 'other', 'other', 'other']);
    expect(attemptOutcome(200, '200')).toBe('2xx');
    expect(attemptOutcome(429, '429')).toBe('429');
    expect(attemptOutcome(503, '503')).toBe('5xx');
    expect(attemptOutcome(undefined, 'timeout (first-byte)')).toBe('timeout');
    expect(attemptOutcome(undefined, 'connect-error')).toBe('connect-error');
    expect(attemptOutcome(undefined, 'something new')).toBe('other');
  });
});

describe('SeriesTable', () => {
  it('caps the number of series: new combinations past the cap share one "other" series', () => {
    const t = new SeriesTable(['a', 'b'], () => ({ n: 0 }), 3);
    for (let i = 0; i < 10; i++) t.cell(keyOf(`x${i}`, 'y')).n++;
    expect(t.size).toBe(4);
    const series = [...t.series()];
    expect(series.map((s) => s.labels)).toEqual([{ a: 'x0', b: 'y' }, { a: 'x1', b: 'y' }, { a: 'x2', b: 'y' }, { a: 'other', b: 'other' }]);
    expect(series[3].cell.n).toBe(7);
    // Known series keep counting after the cap.
    t.cell(keyOf('x1', 'y')).n++;
    expect(series[1].cell.n).toBe(2);
  });

  it('never lets a value split into extra labels', () => {
    expect(keyOf(`a${SEP}b`, 'c')).toBe(`other${SEP}c`);
  });
});
