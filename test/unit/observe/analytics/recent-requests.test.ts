import { describe, it, expect } from 'vitest';
import { RecentRequests } from '../../../../server/observe/analytics/recent-requests.ts';
import type { UsageRecord } from '../../../../server/observe/usage-recorder.ts';

const T = Date.UTC(2026, 4, 10, 12);
const rec = (requestId: string, at = T, extra: Partial<UsageRecord> = {}): UsageRecord => ({ requestId, at, client: 'web', binding: 'chat', provider: 'a', model: 'gpt-4o', keyId: 'k1', status: 200, latencyMs: 10, attempts: 1, usage: {}, cost: 0.1, currency: 'EUR', ...extra });

describe('recent requests (feedback index)', () => {
  it('finds a recorded request with who made it and what served it', () => {
    const r = new RecentRequests(10);
    r.record(rec('id-1'));
    r.record(rec('id-2', T, { model: undefined, currency: undefined, client: 'batch' }));
    expect(r.find('id-1', T + 1000)).toEqual({ client: 'web', binding: 'chat', provider: 'a', keyId: 'k1', model: 'gpt-4o', currency: 'EUR', at: T, scored: false });
    expect(r.find('id-2', T)).toMatchObject({ client: 'batch', model: '', currency: '' });
    expect(r.find('nope', T)).toBeUndefined();
  });

  it('takes a score once', () => {
    const r = new RecentRequests(10);
    r.record(rec('id-1'));
    expect(r.markScored('id-1')).toBe(true);
    expect(r.find('id-1', T)?.scored).toBe(true);
    expect(r.markScored('id-1')).toBe(false);
    expect(r.markScored('nope')).toBe(false);
  });

  it('forgets requests older than its age limit', () => {
    const r = new RecentRequests(10, 60_000);
    r.record(rec('id-1'));
    expect(r.find('id-1', T + 60_000)).toBeDefined();
    expect(r.find('id-1', T + 60_001)).toBeUndefined();
  });

  it('holds at most its capacity, overwriting the oldest', () => {
    const r = new RecentRequests(3);
    for (let i = 1; i <= 5; i++) r.record(rec(`id-${i}`));
    expect(r.size).toBe(3);
    expect(['id-1', 'id-2', 'id-3', 'id-4', 'id-5'].map((id) => r.find(id, T) !== undefined)).toEqual([false, false, true, true, true]);
    // An overwritten slot does not carry its score over.
    r.markScored('id-3');
    r.record(rec('id-6'));
    expect(r.find('id-6', T)?.scored).toBe(false);
  });

  it('ignores requests without an id or binding', () => {
    const r = new RecentRequests(3);
    r.record(rec(''));
    r.record(rec('id-x', T, { binding: '' }));
    expect(r.size).toBe(0);
  });

  it('stays bounded for 50,000 entries', () => {
    const r = new RecentRequests();
    for (let i = 0; i < 60_000; i++) r.record(rec(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, T + i));
    expect(r.size).toBe(50_000);
    expect(r.find('00000000-0000-4000-8000-000000009999', T + 60_000)).toBeUndefined();
    expect(r.find('00000000-0000-4000-8000-000000059999', T + 60_000)).toMatchObject({ client: 'web' });
  });
});
