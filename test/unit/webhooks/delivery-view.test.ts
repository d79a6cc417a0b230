// The delivery log's rows as the admin API answers them: the last attempt's status, error and
// duration (lastMs), absent before the first attempt; the detail adds the body and every attempt.
import { describe, expect, it } from 'vitest';
import { deliveryDetail, deliverySummary } from '../../../server/webhooks/delivery-view.ts';
import type { Delivery } from '../../../server/webhooks/types.ts';

const base: Delivery = {
  id: 'dlv_1', webhookId: 'evt_1', subscription: 'ops', type: 'config.applied', createdAt: Date.UTC(2026, 2, 15, 9, 0, 0),
  body: '{"type":"config.applied"}', state: 'pending', attempts: [], nextAt: Date.UTC(2026, 2, 15, 9, 0, 5),
};

describe('deliverySummary', () => {
  it('has no lastMs (nor lastError) before the first attempt', () => {
    const s = deliverySummary(base);
    expect(s).toEqual({ id: 'dlv_1', webhookId: 'evt_1', webhook: 'ops', type: 'config.applied', state: 'pending', createdAt: '2026-03-15T09:00:00.000Z', attempts: 0, lastStatus: null, nextAt: '2026-03-15T09:00:05.000Z' });
    expect('lastMs' in s).toBe(false);
  });

  it('gives the last attempt\'s status, error and duration', () => {
    const d: Delivery = {
      ...base,
      state: 'delivered',
      nextAt: null,
      attempts: [
        { at: base.createdAt, status: 500, ms: 840, error: 'HTTP 500', response: 'down' },
        { at: base.createdAt + 5000, status: 200, ms: 120 },
      ],
    };
    expect(deliverySummary(d)).toMatchObject({ attempts: 2, lastStatus: 200, lastMs: 120, nextAt: null });
    expect('lastError' in deliverySummary(d)).toBe(false);
    const failed = { ...d, attempts: [d.attempts[1]!, { at: base.createdAt + 10_000, status: null, ms: 0, error: 'connect ECONNREFUSED' }] };
    expect(deliverySummary(failed)).toMatchObject({ lastStatus: null, lastMs: 0, lastError: 'connect ECONNREFUSED' });
  });

  it('the detail adds the body and each attempt with its duration', () => {
    const d: Delivery = { ...base, attempts: [{ at: base.createdAt, status: 500, ms: 840, error: 'HTTP 500' }] };
    expect(deliveryDetail(d)).toMatchObject({ lastMs: 840, body: base.body, attemptLog: [{ at: '2026-03-15T09:00:00.000Z', status: 500, ms: 840, error: 'HTTP 500' }] });
  });
});
