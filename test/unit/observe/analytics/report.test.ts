import { describe, it, expect } from 'vitest';
import { csv, csvCell } from '../../../../server/observe/analytics/csv.ts';
import { CSV_HEADER, report, reportFile } from '../../../../server/observe/analytics/report.ts';
import { SilError } from '../../../../server/errors.ts';
import { FakeUsage, sources, T0 } from './fake-usage.ts';

describe('CSV cells', () => {
  it('quotes as RFC 4180 says', async () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0.000031875)).toBe('0.000031875');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csv(['a', 'b'], [[1, 'x'], [null, 'y,z']])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });

  it('keeps text from being read as a formula', async () => {
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe('"\'=HYPERLINK(""http://evil.test"",""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('GET /api/analytics/report', () => {
  const usage = () => new FakeUsage().add(
    { t: T0 - 120_000, provider: 'openai-a', requests: 3, inputTokens: 15, outputTokens: 9, cost: 0.03 },
    { t: T0 - 60_000, client: '=cmd|calc', provider: '@evil', keyId: 'k,2', fingerprint: 'sha256:x"y...1', requests: 1, failed: 1 },
  );

  it('JSON: the totals, the series and every breakdown of the period', async () => {
    const r = await report(sources(usage()), { period: '1h' });
    expect(r).toMatchObject({ period: '1h', generatedAt: T0, totals: { requests: 4, ok: 3, cost: 0.03 } });
    expect(r.series.t).toHaveLength(60);
    expect(Object.keys(r.breakdowns)).toEqual(['provider', 'binding', 'client', 'model', 'key']);
    expect(r.breakdowns.provider.map((x) => [x.key, x.requests])).toEqual([['openai-a', 3], ['@evil', 1]]);
    const file = await reportFile(sources(usage()), { period: '1h' });
    expect(file.contentType).toBe('application/json; charset=utf-8');
    expect(file.fileName).toBe('sil-analytics-20260510T1101Z-20260510T1201Z.json');
    expect(JSON.parse(file.body)).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('CSV: a header row, the totals, a row per value of each dimension; cells escaped', async () => {
    const file = await reportFile(sources(usage()), { period: '1h', format: 'csv' });
    expect(file.contentType).toBe('text/csv; charset=utf-8; header=present');
    expect(file.fileName).toBe('sil-analytics-20260510T1101Z-20260510T1201Z.csv');
    const lines = file.body.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[0]).toBe('dimension,key,label,requests,ok,errors,limited,successRate,p50Ms,p95Ms,p99Ms,avgLatencyMs,attempts,failovers,inputTokens,outputTokens,cost,score,scoreCount,currency,from,to');
    expect(lines[1]).toMatch(/^total,,all requests,4,3,1,0,0\.75,[\d.]+,[\d.]+,[\d.]+,100,4,0,15,9,0\.03,,0,USD,2026-05-10T11:01:00\.000Z,2026-05-10T12:01:00\.000Z$/);
    expect(lines.some((l) => l.startsWith("provider,'@evil,'@evil,1,0,1,0,0,"))).toBe(true);
    expect(lines.some((l) => l.startsWith("client,'=cmd|calc,'=cmd|calc,1,"))).toBe(true);
    expect(lines.some((l) => l.startsWith('key,"\'@evil/k,2","\'@evil/k,2 (sha256:x""y...1)",1,'))).toBe(true);
    // 1 total + providers 2 + bindings 1 + clients 2 + models 1 + keys 2, and the header.
    expect(lines.length - 1).toBe(1 + 9);
  });

  it('refuses an unknown format', async () => {
    await expect(reportFile(sources(usage()), { format: 'xlsx' })).rejects.toThrow(SilError);
  });
});
