// GET /api/limits over real HTTP: the limiter's counters, refusals and budget alerts, in the
// shape openapi.json describes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openApiChecker } from '../../helpers/openapi-check.ts';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';
import { Limiter } from '../../../server/limits/limiter.ts';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import { snapshotOf, stateOf, usage } from '../../unit/limits/fixtures.ts';

describe('GET /api/limits', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers empty lists without a limiter', async () => {
    const res = await app.api('GET', '/api/limits');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ limits: [], rejections: [], alerts: [] });
  });

  it('lists counters, refusals and alerts as openapi.json describes them', async () => {
    const snap = snapshotOf({ clientPolicy: 'p', policies: [{ name: 'p', rateLimit: { requests: 1, per: 'minute' }, quota: { period: 'day', tokens: 5000 }, budget: { amount: 1, period: 'month', alertAtPercent: [50] } }] });
    const limiter = new Limiter({ store: new MemoryCounterStore(), now: Date.now, snapshot: () => snap });
    const s = stateOf(snap);
    expect(limiter.admit(s)).toBeNull();
    const refused = stateOf(snap);
    limiter.refuse(refused, limiter.admit(refused) as never);
    limiter.record(usage(s.requestId, 'a', 40, 0.7));
    app.deps.limits = limiter;

    const res = await app.api('GET', '/api/limits');
    expect(res.status).toBe(200);
    const kinds = res.body.limits.map((l: { limit: string }) => l.limit).sort();
    expect(kinds).toEqual(['budget', 'quota.tokens', 'rate']);
    expect(res.body.limits.find((l: { limit: string }) => l.limit === 'quota.tokens')).toMatchObject({ policy: 'p', scope: 'client:web', attachedTo: { kind: 'client', name: 'web' }, used: 40, max: 5000 });
    expect(res.body.rejections).toEqual([{ policy: 'p', limit: 'rate', count: 1 }]);
    expect(res.body.alerts).toMatchObject([{ policy: 'p', percent: 50, currency: 'USD' }]);

    const doc = (await app.api('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/limits'].get).toBeDefined();
    openApiChecker(doc)('LimitsStatus', res.body);
  });
});
