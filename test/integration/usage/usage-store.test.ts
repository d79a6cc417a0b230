// The usage store in a real hub: known traffic through the proxy to provider mocks, then the
// rows the store answers (before and after a flush, and after a restart on the same data).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHub, type Hub } from '../../../server/main.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { usageDataDir } from './usage-config.ts';
import type { RollupRow } from '../../../server/observe/usage-store/types.ts';

const COST = (5 * 0.15 + 3 * 0.6) / 1e6; // chatCompletion's 5 in / 3 out tokens at gpt-4o-mini's list prices

describe('usage store in the hub', () => {
  const tmp = tempDir('sil-usage-');
  let good: MockUpstream;
  let flaky: MockUpstream;
  let hub: Hub;
  let data = '';
  let token = '';
  const logs: string[] = [];
  const start = () => startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: (l) => logs.push(l), consoleDir: null, usageFlushMs: 0 });
  const chat = (model: string, bearer = token) =>
    fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

  beforeAll(async () => {
    good = await startMockUpstream((r) => (r.body.includes('"bad"') ? { status: 400, body: { error: { message: 'bad request' } } } : { status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    flaky = await startMockUpstream(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    ({ data, token } = await usageDataDir(tmp.path, good.url, flaky.url));
    hub = await start();
  });
  afterAll(async () => {
    await hub?.close();
    await good?.close();
    await flaky?.close();
    tmp.cleanup();
  });

  const sum = (rows: RollupRow[], pick: (r: RollupRow) => boolean = () => true) => {
    const out = { requests: 0, ok: 0, clientErrors: 0, serverErrors: 0, attempts: 0, failovers: 0, inputTokens: 0, outputTokens: 0, cost: 0, latencyCount: 0 };
    for (const r of rows.filter(pick)) {
      for (const k of ['requests', 'ok', 'clientErrors', 'serverErrors', 'attempts', 'failovers', 'inputTokens', 'outputTokens', 'cost'] as const) out[k] += r[k];
      out.latencyCount += r.latency.reduce((a, b) => a + b, 0);
    }
    out.cost = Math.round(out.cost * 1e12) / 1e12;
    return out;
  };

  it('counts known traffic exactly: answers, provider errors, failovers, refusals, tokens and cost', async () => {
    const store = hub.usageStore!;
    expect(store).not.toBeNull();
    const from = Date.now() - 60_000;
    for (let i = 0; i < 7; i++) expect((await chat('chat')).status).toBe(200);
    const bad = await fetch(`${hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'bad' }] }) });
    expect(bad.status).toBe(400);
    await bad.text();
    for (let i = 0; i < 3; i++) {
      const res = await chat('failover');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-sil-attempts')).toBe('2');
    }
    expect((await chat('chat', 'sil_not-a-token')).status).toBe(401);
    const to = Date.now() + 60_000;

    const check = (rows: RollupRow[]) => {
      expect(sum(rows, (r) => r.binding === 'chat')).toEqual({ requests: 8, ok: 7, clientErrors: 1, serverErrors: 0, attempts: 8, failovers: 0, inputTokens: 35, outputTokens: 21, cost: Math.round(7 * COST * 1e12) / 1e12, latencyCount: 8 });
      expect(sum(rows, (r) => r.binding === 'failover')).toEqual({ requests: 3, ok: 3, clientErrors: 0, serverErrors: 0, attempts: 6, failovers: 3, inputTokens: 15, outputTokens: 9, cost: Math.round(3 * COST * 1e12) / 1e12, latencyCount: 3 });
      expect(sum(rows, (r) => r.client === '')).toMatchObject({ requests: 1, clientErrors: 1, attempts: 0 });
      expect(sum(rows).requests).toBe(12);
      const goodRows = rows.filter((r) => r.provider === 'good');
      const fingerprint = hub.live.snapshot!.keyrings.get('good')!.keys[0].fingerprint;
      expect(new Set(goodRows.map((r) => `${r.client}/${r.keyId ? 'key' : ''}/${r.fingerprint}/${r.model}/${r.currency}`))).toEqual(new Set([`web/key/${fingerprint}/gpt-4o-mini/USD`]));
    };
    // before any flush: from memory
    check((await store.rows('minute', from, to)));
    check((await store.rows('hour', from - 3_600_000, to)));
    check((await store.rows('day', from - 86_400_000, to)));
    await store.flush();
    check((await store.rows('minute', from, to)));
    check((await store.rows('day', from - 86_400_000, to)));
    // the admin API's totals (MemoryUsageRecorder) still count the same answers
    const totals = [...hub.usage.totals.values()].reduce((n, t) => n + t.requests, 0);
    expect(totals).toBe(11);

    // a restart on the same data reads the rows back (close writes the last of memory)
    expect((await chat('chat')).status).toBe(200);
    await hub.close();
    hub = await start();
    const after = await hub.usageStore!.rows('minute', from, to);
    expect(sum(after, (r) => r.binding === 'chat').requests).toBe(9);
    expect(sum(after).requests).toBe(13);
    expect(logs.join('\n')).not.toMatch(/usage: /);
  });

  it('can be turned off (usageStore: false): the hub has no store', async () => {
    const off = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, log: () => {}, consoleDir: null, usageStore: false }).catch((err: Error) => err);
    // one hub per data directory is the CLI's lock, not startHub's: a second hub on the same data is fine here
    expect(off).not.toBeInstanceOf(Error);
    const h = off as Hub;
    expect(h.usageStore).toBeNull();
    await h.close();
  });
});
