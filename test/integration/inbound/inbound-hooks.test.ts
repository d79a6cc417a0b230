// Inbound provider webhooks through a real hub: a Stripe event posted to /hooks/stripe-main,
// signed as Stripe documents with the endpoint secret kept in the provider's key, verifies and
// reaches a subscriber of the bus as provider.webhook; a replay, a bad signature, a stale event
// and unknown providers are refused with the catalog's codes; the replay memory survives a restart.
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';

const SECRET = 'whsec_Test0123456789abcdef';
const body = JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 2000 } } });
const signed = (payload: string, t = Math.floor(Date.now() / 1000), secret = SECRET) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;

async function waitFor<T>(get: () => T | undefined, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('POST /hooks/<provider-id>', () => {
  let p: ProxyHub;
  let restarted: Hub | undefined;
  const seen: HubEvent[] = [];
  const post = (path: string, payload: string, headers: Record<string, string>) =>
    fetch(`${p.hub.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

  beforeAll(async () => {
    p = await startProxyHub(
      {
        'providers/stripe-main.yaml': 'id: stripe-main\ntemplate: stripe\nname: Stripe\nenvironment: prod\n',
        'providers/oa.yaml': 'id: oa\ntemplate: openai\nname: OpenAI\nenvironment: prod\n',
      },
      { 'stripe-main': { secretKey: 'sk_test_abc123', webhookSecret: SECRET }, oa: { apiKey: 'sk-test-0123456789abcdef0123' } },
    );
    p.hub.events.on((e) => {
      if (e.type === 'provider.webhook') seen.push(e);
    });
  });
  afterAll(async () => {
    await restarted?.close();
    await p?.stop();
  });

  it('accepts a signed Stripe event, answers 200 and fans it out as provider.webhook', async () => {
    const res = await post('/hooks/stripe-main', body, { 'Stripe-Signature': signed(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' });
    const e = await waitFor(() => seen[0]);
    expect(e.environment).toBe('prod');
    expect(e.data).toMatchObject({ provider: 'stripe-main', scheme: 'hmac', eventType: 'payment_intent.succeeded', eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', payload: { data: { object: { id: 'pi_1' } } } });
    let entry: unknown;
    for (let i = 0; i < 100 && !entry; i++) {
      entry = (await p.hub.auditLog.page({ limit: 5 })).entries.find((x) => x.type === 'hook.accepted');
      if (!entry) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry).toMatchObject({ detail: { provider: 'stripe-main', eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', eventType: 'payment_intent.succeeded' } });
    expect(JSON.stringify(entry)).not.toContain(SECRET);
  });

  it('refuses the same event again (a replay) with SIL_HOOK_REPLAY, even freshly signed', async () => {
    const res = await post('/hooks/stripe-main', body, { 'Stripe-Signature': signed(body) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SIL_HOOK_REPLAY');
  });

  it('refuses a bad signature with SIL_HOOK_SIGNATURE and a stale one with SIL_HOOK_STALE', async () => {
    const other = body.replace('evt_1NG8', 'evt_2NG8');
    const bad = await post('/hooks/stripe-main', other, { 'Stripe-Signature': signed(other, undefined, 'whsec_Wrong') });
    expect(bad.status).toBe(401);
    const err = ((await bad.json()) as { error: { code: string } }).error;
    expect(err).toMatchObject({ code: 'SIL_HOOK_SIGNATURE' });
    expect(JSON.stringify(err)).not.toContain(SECRET);
    const stale = await post('/hooks/stripe-main', other, { 'Stripe-Signature': signed(other, Math.floor(Date.now() / 1000) - 3600) });
    expect(stale.status).toBe(400);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('SIL_HOOK_STALE');
    expect(seen).toHaveLength(1);
  });

  it('answers 404 for an unknown provider or one without a scheme, 405 for GET', async () => {
    for (const path of ['/hooks/nope', '/hooks/oa', '/hooks/a/b']) {
      const res = await post(path, body, { 'Stripe-Signature': signed(body) });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SIL_HOOK_UNKNOWN');
    }
    const get = await fetch(`${p.hub.url}/hooks/stripe-main`);
    expect(get.status).toBe(405);
  });

  it('keeps the replay memory across a restart (data/state/inbound-replay.json)', async () => {
    const dataDir = dirname(p.hub.gitdir);
    await p.hub.close();
    p.hub.close = async () => {}; // stop() must not close it twice
    expect(existsSync(join(dataDir, 'state', 'inbound-replay.json'))).toBe(true);
    restarted = await startHub({ dataDir, host: '127.0.0.1', port: 0, consoleDir: null, log: () => {} });
    const res = await fetch(`${restarted.url}/hooks/stripe-main`, { method: 'POST', headers: { 'content-type': 'application/json', 'Stripe-Signature': signed(body) }, body });
    expect(res.status).toBe(409);
  });
});
