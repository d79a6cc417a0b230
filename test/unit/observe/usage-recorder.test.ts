import { describe, it, expect } from 'vitest';
import { fanOut, type RequestOutcome, type UsageRecord, type UsageRecorder } from '../../../server/observe/usage-recorder.ts';

const record: UsageRecord = { requestId: 'r1', at: 1, client: 'web', binding: 'chat', provider: 'openai', keyId: 'k1', status: 200, latencyMs: 5, attempts: 1, usage: { inputTokens: 3 } };
const outcome: RequestOutcome = { requestId: 'r1', at: 1, client: 'web', binding: 'chat', door: 'unified', status: 200, latencyMs: 5, attempts: 1, failovers: 0, attemptRecords: [], answered: true };

describe('fanOut', () => {
  it('hands each report to every recorder in order, outcomes only to those that take them', () => {
    const seen: string[] = [];
    const a: UsageRecorder = { record: (r) => seen.push(`a.record ${r.requestId}`), outcome: (r) => seen.push(`a.outcome ${r.status}`) };
    const b: UsageRecorder = { record: (r) => seen.push(`b.record ${r.requestId}`) };
    const all = fanOut([a, b]);
    all.record(record);
    all.outcome!(outcome);
    expect(seen).toEqual(['a.record r1', 'b.record r1', 'a.outcome 200']);
  });

  it('goes on past a recorder that throws and reports its error', () => {
    const errors: unknown[] = [];
    const seen: string[] = [];
    const list: UsageRecorder[] = [{ record: () => { throw new Error('disk full'); }, outcome: () => { throw new Error('oops'); } }];
    const all = fanOut(list, (err) => errors.push((err as Error).message));
    // Added after the fan-out was made: still reached.
    list.push({ record: () => seen.push('record'), outcome: () => seen.push('outcome') });
    all.record(record);
    all.outcome!(outcome);
    expect(seen).toEqual(['record', 'outcome']);
    expect(errors).toEqual(['disk full', 'oops']);
  });
});
