// The request log: a bounded ring, newest first, paged with `before`, entries as they were added.
import { describe, it, expect } from 'vitest';
import { RequestLog, type RequestRecord } from '../../../server/proxy/request-log.ts';

const record = (n: number, extra: Partial<RequestRecord> = {}): RequestRecord => ({
  id: `r${n}`, at: Date.UTC(2026, 11, 6, 5, 0, n), client: 'web', binding: 'chat', door: 'unified', status: 200, latencyMs: n + 0.5, attempts: 1, failoverReasons: [], ...extra,
});

describe('request log', () => {
  it('lists the newest first, with every field as added', () => {
    const log = new RequestLog(10);
    log.add(record(1, { provider: 'openai', model: 'gpt-4o', keyId: 'k1' }));
    log.add(record(2, { door: 'bind', status: 503, attempts: 2, failoverReasons: ['a: 503'], provider: 'b' }));
    expect(log.list()).toEqual([
      { id: 'r2', at: '2026-12-06T05:00:02.000Z', client: 'web', binding: 'chat', door: 'bind', provider: 'b', status: 503, latencyMs: 2.5, attempts: 2, failoverReasons: ['a: 503'] },
      { id: 'r1', at: '2026-12-06T05:00:01.000Z', client: 'web', binding: 'chat', door: 'unified', provider: 'openai', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 1.5, attempts: 1, failoverReasons: [] },
    ]);
  });

  it('keeps only the last `capacity` entries and pages back from an id', () => {
    const log = new RequestLog(5);
    for (let n = 1; n <= 12; n++) log.add(record(n));
    expect(log.list(50).map((e) => e.id)).toEqual(['r12', 'r11', 'r10', 'r9', 'r8']);
    expect(log.list(2).map((e) => e.id)).toEqual(['r12', 'r11']);
    expect(log.list(2, 'r11').map((e) => e.id)).toEqual(['r10', 'r9']);
    expect(log.list(2, 'r8')).toEqual([]);
    expect(log.list(2, 'r3')).toEqual([]); // dropped from the ring: nothing older to show
  });

  it('hands out copies: a listed entry changed by its reader does not change the log', () => {
    const log = new RequestLog(3);
    log.add(record(1, { failoverReasons: ['x: timeout'] }));
    log.list()[0].failoverReasons.push('changed');
    expect(log.list()[0].failoverReasons).toEqual(['x: timeout']);
  });
});
