// GET /metrics on a real hub with real provider mocks: known traffic (answers, failovers, a
// refused token) is counted as sent, parsed with a Prometheus text-format parser; the access
// rules (loopback without a metrics block; allowlist through trusted proxies, or the scrape
// token, with one) and the config reload counts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { parseExposition, type PromText } from './prom-text.ts';

const KEY = `sk-proj-${'m'.repeat(40)}`;
const SCRAPE_TOKEN = 'prom-scrape-token-for-this-test-only';
const SCRAPE_HASH = createHash('sha256').update(SCRAPE_TOKEN).digest('hex');

const provider = (id: string, baseUrl: string) => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${baseUrl}\n`;
const binding = (name: string, targets: string[]) =>
  `name: ${name}\nenvironment: prod\nprotocol: openai-chat\ntargets:\n${targets.map((t) => `  - { provider: ${t}, model: gpt-4o-mini }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "429", "5xx"]\n  maxAttempts: 2\n  timeoutMs: 5000\n`;
const SIL_YAML = 'version: 1\nenvironments: [prod]\n';

describe('GET /metrics', () => {
  let good: MockUpstream;
  let bad: MockUpstream;
  let p: ProxyHub;
  const requestIds: string[] = [];

  const chat = async (model: string, token = p.token) => {
    const res = await fetch(`${p.hub.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    const id = res.headers.get('x-sil-request-id');
    if (id) requestIds.push(id);
    return res;
  };
  const scrapeRaw = (headers: Record<string, string> = {}) => fetch(`${p.hub.url}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
  const scrape = async (headers: Record<string, string> = {}): Promise<PromText> => {
    const res = await scrapeRaw(headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await res.text());
  };
  /** Commits sil.yaml (unchecked with `validate: false`) and waits for the hub to load or reject it. */
  const commitSettings = async (text: string, validate = true) => {
    const r = await p.hub.writer.commit({ base: null, author: { name: 'Owner', email: 'owner@example.test' }, message: 'sil.yaml: metrics', changes: { 'sil.yaml': text }, validate });
    await p.hub.reloader.check();
    return r.commit;
  };

  beforeAll(async () => {
    good = await startMockUpstream((r) => ({ status: 200, body: chatCompletion(JSON.parse(r.body || '{}').model ?? '', 'ok') }));
    bad = await startMockUpstream(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    p = await startProxyHub({
      'sil.yaml': SIL_YAML,
      'providers/good.yaml': provider('good', `${good.url}/v1`),
      'providers/bad.yaml': provider('bad', `${bad.url}/v1`),
      'bindings/chat.yaml': binding('chat', ['good']),
      'bindings/fo.yaml': binding('fo', ['bad', 'good']),
      'bindings/limited.yaml': `${binding('limited', ['good'])}policy: tight\n`,
      'policies/tight.yaml': 'name: tight\nrateLimit: { requests: 1, per: hour, scope: binding }\n',
    }, { good: { apiKey: KEY }, bad: { apiKey: KEY } });
  });
  afterAll(async () => {
    await p?.stop();
    await good?.close();
    await bad?.close();
  });

  it('counts what was sent: requests per status class, failovers, attempts, tokens; histograms add up', async () => {
    for (let i = 0; i < 3; i++) expect((await chat('chat')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await chat('fo');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sil-provider')).toBe('good');
    }
    expect((await chat('chat', 'sil_notARealToken')).status).toBe(401);

    // Usage is recorded when the answer's body has ended: wait (bounded) until all five are in.
    let m = await scrape();
    for (let i = 0; i < 40 && m.sum('sil_tokens_total', { direction: 'input' }) < 25; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      m = await scrape();
    }

    expect(m.sum('sil_requests_total')).toBe(6);
    expect(m.sum('sil_requests_total', { status_class: '2xx' })).toBe(5);
    expect(m.sum('sil_requests_total', { status_class: '4xx' })).toBe(1);
    expect(m.sum('sil_requests_total', { binding: 'chat', provider: 'good', status_class: '2xx', door: 'unified' })).toBe(3);
    expect(m.sum('sil_requests_total', { binding: 'fo', provider: 'good', status_class: '2xx' })).toBe(2);
    expect(m.sum('sil_requests_total', { binding: 'none', provider: 'none', status_class: '4xx' })).toBe(1);
    expect(m.sum('sil_failovers_total', { binding: 'fo' })).toBe(2);
    expect(m.sum('sil_failovers_total', { binding: 'chat' })).toBe(0);

    // The mock reports 5 prompt and 3 completion tokens per answer; five answers.
    expect(m.sum('sil_tokens_total', { provider: 'good', model: 'gpt-4o-mini', direction: 'input' })).toBe(25);
    expect(m.sum('sil_tokens_total', { provider: 'good', model: 'gpt-4o-mini', direction: 'output' })).toBe(15);
    const cost = [...p.hub.usage.totals.values()].reduce((a, t) => a + t.cost, 0);
    expect(cost).toBeGreaterThan(0);
    expect(m.sum('sil_cost_total', { provider: 'good', model: 'gpt-4o-mini', currency: 'USD' })).toBeCloseTo(cost, 12);

    // Whole requests: one series per binding, door and status class; _count adds up to the requests.
    const requests = m.histograms('sil_request_duration_seconds');
    expect(requests.reduce((a, h) => a + h.count, 0)).toBe(6);
    expect(m.histograms('sil_request_duration_seconds', { binding: 'chat', status_class: '2xx' })[0].count).toBe(3);
    // Attempts: two 503s at bad, five answers from good.
    expect(m.histograms('sil_upstream_request_duration_seconds', { provider: 'bad', outcome: '5xx' })[0].count).toBe(2);
    expect(m.histograms('sil_upstream_request_duration_seconds', { provider: 'good', outcome: '2xx' })[0].count).toBe(5);
    for (const h of [...requests, ...m.histograms('sil_upstream_request_duration_seconds')]) {
      const counts = Object.entries(h.buckets).sort(([a], [b]) => (a === '+Inf' ? Infinity : Number(a)) - (b === '+Inf' ? Infinity : Number(b))).map(([, n]) => n);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
      expect(counts.at(-1)).toBe(h.count);
      expect(h.sum).toBeGreaterThan(0);
    }

    // Circuits of every configured service, all closed; the first load was counted.
    expect(m.sum('sil_circuit_state', { provider: 'good', service: 'chat' })).toBe(0);
    expect(m.samples('sil_circuit_state', { provider: 'bad' }).length).toBeGreaterThan(0);
    expect(m.sum('sil_config_reloads_total', { result: 'loaded' })).toBe(1);
    expect(m.sum('sil_config_reloads_total', { result: 'rejected' })).toBe(0);
    expect(m.samples('sil_limit_rejections_total')).toEqual([]);

    // Standard process metrics are there too.
    expect(m.family('process_cpu_seconds_total').type).toBe('counter');
    expect(m.family('nodejs_heap_size_total_bytes').type).toBe('gauge');

    // No request id, path, token or key in any label value.
    expect(requestIds.length).toBe(6); // the refused call has one too
    for (const value of m.labelValues()) {
      for (const id of requestIds) expect(value).not.toContain(id);
      expect(value).not.toMatch(/\/v1|chat\/completions|^\//);
      expect(value).not.toContain('sil_');
      expect(value).not.toContain(KEY);
    }
    for (const id of requestIds) expect(m.text).not.toContain(id);
    expect(m.text).not.toContain(KEY);
    expect(m.text).not.toContain(p.token);
  });

  it('counts a request refused by a policy\'s rate limit under the policy and the limit', async () => {
    expect((await chat('limited')).status).toBe(200);
    const refused = await chat('limited');
    expect(refused.status).toBe(429);
    const m = await scrape();
    expect(m.samples('sil_limit_rejections_total')).toEqual([{ labels: { policy: 'tight', limit: 'rate' }, value: 1 }]);
    expect(m.sum('sil_requests_total', { binding: 'limited', provider: 'none', status_class: '4xx' })).toBe(1);
    expect(m.sum('sil_requests_total')).toBe(8);
  });

  it('without a metrics block, refuses a caller relayed by an unlisted proxy on this machine', async () => {
    const res = await scrapeRaw({ 'x-forwarded-for': '198.51.100.7' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).toBe('SIL_METRICS_FORBIDDEN');
    expect(body.error.hint).toContain('metrics.allowlist');
  });

  it('with a metrics block: only the allowlist (through trusted proxies) and the scrape token; the reload is counted', async () => {
    await commitSettings(`${SIL_YAML}security:\n  trustedProxies: [127.0.0.1]\nmetrics:\n  allowlist: [10.0.0.0/8]\n  scrapeTokenSha256: ${SCRAPE_HASH}\n`);
    expect(p.hub.live.snapshot?.settings.metrics?.allowlist).toEqual(['10.0.0.0/8']);

    // Loopback is no longer enough on its own.
    const local = await scrapeRaw();
    expect(local.status).toBe(403);
    expect(((await local.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'SIL_METRICS_FORBIDDEN',
      message: expect.stringContaining('127.0.0.1 is not in metrics.allowlist'),
    });
    expect(local.headers.get('content-type')).toMatch(/^application\/json/);

    // The trusted proxy (127.0.0.1) relays an allowlisted caller; then one that is not.
    const relayed = await scrape({ 'x-forwarded-for': '10.20.30.40' });
    expect(relayed.sum('sil_config_reloads_total', { result: 'loaded' })).toBe(2);
    expect((await scrapeRaw({ 'x-forwarded-for': '192.0.2.1' })).status).toBe(403);

    // The token works from any address; a wrong one does not.
    const withToken = await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}`, 'x-forwarded-for': '192.0.2.1' });
    expect(withToken.sum('sil_requests_total')).toBe(8);
    const wrong = await scrapeRaw({ authorization: `Bearer ${SCRAPE_TOKEN}-not` });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain('does not match metrics.scrapeTokenSha256');

    // Scrapes (allowed or refused) are not proxy requests: nothing was added.
    expect(withToken.histograms('sil_request_duration_seconds').reduce((a, h) => a + h.count, 0)).toBe(8);
  });

  it('counts a rejected commit; the last good config (and its metrics rule) keeps serving', async () => {
    await commitSettings(`${SIL_YAML}metrics:\n  allowlist: ["not an address"]\n  unknownField: 1\n`, false);
    expect(p.hub.live.error).not.toBeNull();
    const m = await scrape({ authorization: `Bearer ${SCRAPE_TOKEN}` });
    expect(m.sum('sil_config_reloads_total', { result: 'rejected' })).toBe(1);
    expect(m.sum('sil_config_reloads_total', { result: 'loaded' })).toBe(2);
    expect((await scrapeRaw()).status).toBe(403);
  });

  it('answers HEAD like GET and leaves other methods on /metrics to the rest of the hub', async () => {
    const head = await fetch(`${p.hub.url}/metrics`, { method: 'HEAD', headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-store');
    const post = await fetch(`${p.hub.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(post.status).not.toBe(200);
    await post.arrayBuffer();
  });
});
