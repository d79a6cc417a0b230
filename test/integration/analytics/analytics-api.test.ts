// The analytics API against known traffic through a real hub: 20 requests to target A (5 of them
// answered 500 by A and passed on), 3 more failed over from A (429) to B, with token usage in
// the answers → /api/analytics/overview, breakdown and compare answer exactly those figures;
// caller feedback (POST /v1/feedback) shows in compare; CSV and JSON report downloads; every
// answer matches the OpenAPI document.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { dirname } from 'node:path';
import { openApiChecker } from '../../helpers/openapi-check.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { generateClientToken, hashToken } from '../../../server/vault/client-token.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';

const KEY_A = `sk-proj-${'a'.repeat(40)}`;
const KEY_B = `sk-proj-${'b'.repeat(40)}`;
// openai.yaml prices: gpt-4o 2.5 / 10 USD per 1M tokens in / out, gpt-4o-mini 0.15 / 0.6; each answer uses 5 in, 3 out.
const COST_A = (5 * 2.5 + 3 * 10) / 1e6;
const COST_B = (5 * 0.15 + 3 * 0.6) / 1e6;

const provider = (id: string, baseUrl: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${baseUrl}\n`;

describe('analytics API through a real hub', () => {
  let a: MockUpstream;
  let b: MockUpstream;
  let ph: ProxyHub;
  let owner: Browser;
  const otherToken = generateClientToken();
  const ids: { a: string[]; aFailed: string[]; b: string[] } = { a: [], aFailed: [], b: [] };
  let served = 0;

  const chat = (token = ph.token) => fetch(`${ph.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
  const feedback = (body: unknown, token = ph.token) => fetch(`${ph.hub.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const api = async (path: string) => {
    const res = await owner.get(path);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    a = await startMockUpstream(() => {
      served++;
      if (served <= 15) return { status: 200, body: chatCompletion('gpt-4o', 'from A') };
      if (served <= 20) return { status: 500, body: { error: { message: 'A broke' } } };
      return { status: 429, body: { error: { message: 'slow down' } } };
    });
    b = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'from B') }));
    ph = await startProxyHub({
      'sil.yaml': 'version: 1\nenvironments: [prod]\n',
      'providers/openai-a.yaml': provider('openai-a', `${a.url}/v1`),
      'providers/openai-b.yaml': provider('openai-b', `${b.url}/v1`),
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: openai-a, model: gpt-4o }\n  - { provider: openai-b, model: gpt-4o-mini }\nfailover:\n  on: [connect-error, "429"]\n  maxAttempts: 2\n  timeoutMs: 5000\n',
      'bindings/solo.yaml': 'name: solo\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: openai-b, model: gpt-4o-mini }\n',
      'clients/other.yaml': `name: other\nenvironment: prod\nbindings: ["*"]\ntokens:\n  - { id: t1, hash: "${hashToken(otherToken)}", createdAt: "2026-01-01T00:00:00Z" }\n`,
    }, { 'openai-a': { apiKey: KEY_A }, 'openai-b': { apiKey: KEY_B } });

    // The owner, set up from the printed link, signed in with a session cookie.
    owner = await signedInOwner(ph.hub.url, dirname(ph.hub.gitdir));

    for (let i = 0; i < 23; i++) {
      const res = await chat();
      await res.text();
      const id = res.headers.get('x-sil-request-id')!;
      if (i < 15) ids.a.push(id);
      else if (i < 20) ids.aFailed.push(id);
      else ids.b.push(id);
      expect(res.status, `request ${i}`).toBe(i >= 15 && i < 20 ? 500 : 200);
    }
    // Usage is recorded when an answer's body has ended, a moment after the caller has it.
    for (let i = 0; i < 100; i++) {
      const o = await api('/api/analytics/overview?period=1h');
      if (o.totals.requests === 23 && o.totals.inputTokens === 90) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    await ph?.stop();
    await a?.close();
    await b?.close();
  });

  it('overview: the totals and the series of the known traffic', async () => {
    const o = await api('/api/analytics/overview?period=1h');
    expect(o).toMatchObject({ period: '1h', step: 'minute', stepMs: 60_000, timeZone: 'UTC', currency: 'USD', filter: {}, otherCurrencies: [] });
    expect(o.totals).toMatchObject({ requests: 23, ok: 18, errors: 5, limited: 0, successRate: 0.7826, attempts: 26, failovers: 3, inputTokens: 90, outputTokens: 54, score: null, scoreCount: 0 });
    expect(o.totals.cost).toBeCloseTo(15 * COST_A + 3 * COST_B, 10);
    expect(o.totals.p50Ms).toBeGreaterThan(0);
    expect(o.totals.p99Ms).toBeGreaterThanOrEqual(o.totals.p50Ms);
    expect(o.series.t).toHaveLength(60);
    expect(o.series.requests.reduce((x: number, y: number) => x + y, 0)).toBe(23);
    expect(o.series.errors.reduce((x: number, y: number) => x + y, 0)).toBe(5);
    expect(o.series.successRate.filter((x: number | null) => x === null).length).toBeGreaterThan(50); // quiet minutes
  });

  it('breakdown: per provider, key, client, binding and model', async () => {
    const byProvider = await api('/api/analytics/breakdown?period=1h&by=provider');
    expect(byProvider.rows.map((r: any) => [r.key, r.requests, r.ok, r.errors, r.inputTokens, r.outputTokens, r.failovers])).toEqual([
      ['openai-a', 20, 15, 5, 75, 45, 0],
      ['openai-b', 3, 3, 0, 15, 9, 3],
    ]);
    expect(byProvider.rows[0].cost).toBeCloseTo(15 * COST_A, 10);
    const byKey = await api('/api/analytics/breakdown?period=1h&by=key');
    const fingerprint = ph.hub.live.snapshot!.keyrings.get('openai-a')!.keys[0].fingerprint;
    expect(byKey.rows[0]).toMatchObject({ key: 'openai-a/primary', label: `openai-a/primary (${fingerprint})`, requests: 20 });
    expect(JSON.stringify(byKey)).not.toContain(KEY_A.slice(-20));
    expect((await api('/api/analytics/breakdown?period=1h&by=client')).rows.map((r: any) => [r.key, r.requests])).toEqual([['web', 23]]);
    expect((await api('/api/analytics/breakdown?period=1h&by=model')).rows.map((r: any) => [r.key, r.requests])).toEqual([['gpt-4o', 20], ['gpt-4o-mini', 3]]);
    const filtered = await api('/api/analytics/breakdown?period=1h&by=binding&provider=openai-b');
    expect(filtered).toMatchObject({ filter: { provider: 'openai-b' }, rows: [{ key: 'chat', requests: 3 }] });
  });

  it('compare: the binding\'s targets in order with cost per request and quality', async () => {
    const c = await api('/api/analytics/compare?period=1h&binding=chat');
    expect(c.targets.map((t: any) => [t.provider, t.model, t.order, t.requests, t.successRate, t.quality])).toEqual([
      ['openai-a', 'gpt-4o', 0, 20, 0.75, 0.75],
      ['openai-b', 'gpt-4o-mini', 1, 3, 1, 1],
    ]);
    expect(c.targets[0].costPerRequest).toBeCloseTo((15 * COST_A) / 20, 12);
    expect(c.targets[1].costPerRequest).toBeCloseTo(COST_B, 12);
  });

  it('feedback: a score per answered request, once, only by the client that made it', async () => {
    for (const id of ids.a.slice(0, 2)) {
      const res = await feedback({ request_id: id, score: 0.2 });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, counted: true });
    }
    expect(await (await feedback({ request_id: ids.b[0], score: 1 })).json()).toEqual({ ok: true, counted: true });
    // A second score for the same request changes nothing.
    const again = await feedback({ request_id: ids.a[0], score: 1 });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, counted: false });

    const stranger = await feedback({ request_id: ids.a[5], score: 0 }, otherToken);
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: unknown }).error).toMatchObject({ code: 'SIL_FEEDBACK_UNKNOWN_REQUEST', type: 'not_found_error' });
    const unknown = await feedback({ request_id: '00000000-0000-4000-8000-000000000000', score: 0.5 });
    expect(unknown.status).toBe(404);
    for (const body of [{ request_id: ids.a[6], score: 1.5 }, { request_id: ids.a[6] }, { score: 1 }, { request_id: ids.a[6], score: '1' }, '{not json', '[1]']) {
      const res = await feedback(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = ((await res.json()) as { error: { message: string } }).error;
      expect(err).toMatchObject({ code: 'SIL_FEEDBACK_INVALID', type: 'invalid_request_error' });
      expect(err.message).toMatch(/Hint: /);
    }
    const noToken = await fetch(`${ph.hub.url}/v1/feedback`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    expect((await fetch(`${ph.hub.url}/v1/feedback`, { headers: { authorization: `Bearer ${ph.token}` } })).status).toBe(400);

    const c = await api('/api/analytics/compare?period=1h&binding=chat');
    // A: w = 0.5 × 2/20 = 0.05 → 0.95 × 0.75 + 0.05 × 0.2 = 0.7225; B: one score of 1.
    expect(c.targets.map((t: any) => [t.provider, t.score, t.scoreCount, t.quality])).toEqual([
      ['openai-a', 0.2, 2, 0.7225],
      ['openai-b', 1, 1, 1],
    ]);
    expect(c.targets.map((t: any) => t.requests)).toEqual([20, 3]);
  });

  it('recommendations: a binding without backup, with its action link', async () => {
    const r = await api('/api/analytics/recommendations');
    expect(r.period).toBe('7d');
    const solo = r.items.find((x: any) => x.id === 'no-backup:solo');
    expect(solo).toMatchObject({ kind: 'no-backup', severity: 'warning', title: 'solo has no backup target', action: { id: 'add-target', label: 'Add a target to solo', href: '/bindings?name=solo' }, evidence: { targets: 1, providers: 'openai-b' } });
    // The same finding in a form to translate: the sentence's id and its raw values.
    expect(solo.text).toEqual({ id: 'no-backup.single', params: { binding: 'solo', provider: 'openai-b', targets: 1, requestsInPeriod: solo.evidence.requestsInPeriod } });
    expect(r.items.some((x: any) => x.id === 'no-backup:chat')).toBe(false);
  });

  it('report: CSV and JSON downloads named by their dates', async () => {
    const res = await fetch(`${ph.hub.url}/api/analytics/report?period=1h&format=csv`, { headers: { cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="sil-analytics-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv"$/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0].startsWith('dimension,key,label,requests,ok,errors,')).toBe(true);
    expect(lines[1].startsWith('total,,all requests,')).toBe(true);
    expect(lines.some((l) => l.startsWith('provider,openai-a,openai-a,20,15,5,0,0.75,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('provider,openai-b,openai-b,3,3,0,0,1,'))).toBe(true);

    const json = await owner.get('/api/analytics/report?period=1h');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="sil-analytics-.*\.json"$/);
    // The feedback calls of the test before are requests to the hub too, served by no provider: (none).
    expect(json.body.breakdowns.provider.filter((r: any) => r.key !== '').map((r: any) => [r.key, r.requests])).toEqual([['openai-a', 20], ['openai-b', 3]]);
    expect(json.body.breakdowns.provider.find((r: any) => r.key === '')).toMatchObject({ label: '(none)' });
    expect(json.body.breakdowns.binding.find((r: any) => r.key === 'chat')).toMatchObject({ requests: 23 });
  });

  it('refuses bad queries with SIL_ANALYTICS_QUERY naming the parameter', async () => {
    for (const [path, param] of [['/api/analytics/overview?period=2h', 'period'], ['/api/analytics/breakdown?by=region', 'by'], ['/api/analytics/compare', 'binding'], ['/api/analytics/overview?period=custom&from=2026-01-01T00:00:00Z', 'to'], ['/api/analytics/report?format=xlsx', 'format']]) {
      const res = await owner.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('SIL_ANALYTICS_QUERY');
      expect(res.body.error.message.startsWith(`${param}:`), res.body.error.message).toBe(true);
    }
    expect((await fetch(`${ph.hub.url}/api/analytics/overview`)).status).toBe(401);
  });

  it('is described by /api/openapi.json, and the answers match it', async () => {
    const doc = await api('/api/openapi.json');
    for (const p of ['overview', 'breakdown', 'compare', 'recommendations', 'report']) expect(doc.paths[`/api/analytics/${p}`]?.get, p).toBeDefined();
    const check = openApiChecker(doc);
    check('AnalyticsOverview', await api('/api/analytics/overview?period=24h'));
    check('AnalyticsBreakdown', await api('/api/analytics/breakdown?period=7d&by=key'));
    check('AnalyticsCompare', await api('/api/analytics/compare?period=30d&binding=chat'));
    check('AnalyticsRecommendations', await api('/api/analytics/recommendations'));
    check('AnalyticsReport', await api('/api/analytics/report?period=1h'));
  });
});
