// Alerts through a real hub: a policy's error-rate rule fires from real traffic to a failing
// mock provider (alert.firing on the bus, listed by /api/alerts, counted unread) and resolves
// once enough requests succeed; a rejected config commit raises an alert that the next good
// commit resolves; acknowledge, silence and lift it over HTTP; every answer as openapi.json
// describes it; alerts.json keeps them across a restart.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openApiChecker } from '../../helpers/openapi-check.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';

const KEY = `sk-proj-${'a'.repeat(40)}`;
const RULE_ID = 'policy:watch/error-rate>=0.5';
const SIL_YAML = 'version: 1\nenvironments: [prod]\n';

describe('alerts through a real hub', () => {
  let up: MockUpstream;
  let ph: ProxyHub;
  let owner: Browser;
  let failing = true;
  const bus: HubEvent[] = [];
  let validate: (name: string, body: unknown) => void;

  const chat = async () => {
    const res = await fetch(`${ph.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${ph.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }) });
    await res.text();
    return res.status;
  };
  /** Waits (bounded) until the usage store has counted `n` requests of binding chat. */
  const counted = async (n: number) => {
    for (let i = 0; i < 200; i++) {
      const rows = await ph.hub.usageStore!.rows('minute', Date.now() - 3_600_000, Date.now() + 60_000, { binding: 'chat' });
      if (rows.reduce((a, r) => a + r.requests, 0) >= n) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`the usage store did not count ${n} requests`);
  };
  const enc = encodeURIComponent;

  beforeAll(async () => {
    up = await startMockUpstream(() => (failing ? { status: 500, body: { error: { message: 'broken' } } } : { status: 200, body: chatCompletion('gpt-4o', 'ok') }));
    ph = await startProxyHub({
      'sil.yaml': SIL_YAML,
      'providers/openai-a.yaml': `id: openai-a\ntemplate: openai\nname: openai-a\nenvironment: prod\nconnection:\n  baseUrl: ${up.url}/v1\n`,
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\npolicy: watch\ntargets:\n  - { provider: openai-a, model: gpt-4o }\n',
      'policies/watch.yaml': 'name: watch\nalerts:\n  - { metric: error-rate, threshold: 0.5, windowMinutes: 5, severity: critical }\n',
    }, { 'openai-a': { apiKey: KEY } });
    ph.hub.events.on((e) => {
      if (e.type.startsWith('alert.')) bus.push(e);
    });
    owner = await signedInOwner(ph.hub.url, dirname(ph.hub.gitdir));

    const doc = (await owner.get('/api/openapi.json')).body;
    validate = openApiChecker(doc);
  });
  afterAll(async () => {
    await ph?.stop();
    await up?.close();
  });

  it('a policy error-rate rule fires from failing traffic and resolves when requests succeed again', async () => {
    for (let i = 0; i < 6; i++) expect(await chat()).toBe(500);
    await counted(6);
    await ph.hub.alerts.evaluate();
    const firing = ph.hub.alerts.get(RULE_ID);
    expect(firing).toMatchObject({ kind: 'policy', severity: 'critical', state: 'firing', subject: 'watch/error-rate', evidence: { requests: 6, errors: 6, errorRate: 1, threshold: 0.5 } });
    expect(bus.filter((e) => e.data.id === RULE_ID).map((e) => e.type)).toEqual(['alert.firing']);

    const list = await owner.get('/api/alerts?state=firing&kind=policy');
    expect(list.status).toBe(200);
    validate('AlertList', list.body);
    expect(list.body.alerts.map((a: { id: string }) => a.id)).toEqual([RULE_ID]);
    const unread = await owner.get('/api/alerts/unread');
    validate('AlertUnread', unread.body);
    expect(unread.body.unread).toBeGreaterThanOrEqual(1);

    failing = false;
    for (let i = 0; i < 8; i++) expect(await chat()).toBe(200);
    await counted(14);
    await ph.hub.alerts.evaluate();
    expect(ph.hub.alerts.get(RULE_ID)).toMatchObject({ state: 'resolved', count: 1 });
    expect(bus.filter((e) => e.data.id === RULE_ID).map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    const recent = await owner.get('/api/alerts?state=resolved');
    validate('AlertList', recent.body);
    expect(recent.body.alerts.map((a: { id: string }) => a.id)).toContain(RULE_ID);
  });

  it('a rejected config commit raises an alert; the next good commit resolves it', async () => {
    const author = { name: 'Owner', email: 'owner@example.test' };
    const bad = await ph.hub.writer.commit({ base: null, author, message: 'broken', changes: { 'sil.yaml': `${SIL_YAML}unknownField: 1\n` }, validate: false });
    await ph.hub.reloader.check();
    expect(ph.hub.alerts.get('config-rejected:config')).toMatchObject({ kind: 'config-rejected', state: 'firing', severity: 'critical', evidence: { commit: bad.commit } });
    const list = await owner.get('/api/alerts?kind=config-rejected');
    validate('AlertList', list.body);
    expect(list.body.alerts[0].title).toBe(`Config commit ${bad.commit.slice(0, 7)} was rejected`);
    await ph.hub.writer.commit({ base: null, author, message: 'fixed', changes: { 'sil.yaml': SIL_YAML } });
    await ph.hub.reloader.check();
    expect(ph.hub.alerts.get('config-rejected:config')?.state).toBe('resolved');
    expect(bus.filter((e) => e.data.id === 'config-rejected:config').map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
  });

  it('acknowledge, silence and lift over HTTP; unknown ids and bad input are refused', async () => {
    ph.hub.alerts.raise({ kind: 'key-expiring', subject: 'openai-a/primary', severity: 'warning', title: 'expires soon', detail: 'd' });
    const id = 'key-expiring:openai-a/primary';
    const before = (await owner.get('/api/alerts/unread')).body.unread;
    const ack = await owner.post(`/api/alerts/${enc(id)}/ack`, {});
    expect(ack.status).toBe(200);
    validate('AlertAnswer', ack.body);
    expect(ack.body.alert.acknowledgedAt).toBeTypeOf('number');
    expect((await owner.get('/api/alerts/unread')).body.unread).toBe(before - 1);

    const until = Date.now() + 3_600_000;
    const sil = await owner.post(`/api/alerts/${enc(id)}/silence`, { until: new Date(until).toISOString() });
    expect(sil.status).toBe(200);
    validate('AlertSilenceAnswer', sil.body);
    expect(sil.body).toMatchObject({ alert: { id, silencedUntil: until }, silence: { alertId: id } });
    const kindSil = await owner.post(`/api/alerts/${enc(id)}/silence`, { until: until + 1000, scope: 'kind' });
    expect(kindSil.body.silence).toMatchObject({ kind: 'key-expiring', until: until + 1000 });
    const lifted = await owner.request('DELETE', `/api/alerts/${enc(id)}/silence`, { json: {} });
    expect(lifted.status).toBe(200);
    validate('AlertAnswer', lifted.body);
    expect(lifted.body.alert.silencedUntil).toBeUndefined();

    expect((await owner.post(`/api/alerts/${enc('nope:x')}/ack`, {})).body.error.code).toBe('SIL_API_NOT_FOUND');
    expect((await owner.post(`/api/alerts/${enc(id)}/silence`, { until: Date.now() - 1 })).body.error.code).toBe('SIL_API_INPUT');
    expect((await owner.post(`/api/alerts/${enc(id)}/silence`, { until: 'tomorrow' })).status).toBe(400);
    expect((await owner.get('/api/alerts?state=bogus')).status).toBe(400);
    // without the owner's CSRF token, no change
    expect((await owner.request('POST', `/api/alerts/${enc(id)}/ack`, { json: {}, csrf: false })).status).toBe(403);
  });

  it('keeps the alerts in data/state/alerts.json', async () => {
    await ph.hub.alerts.flush();
    const file = JSON.parse(readFileSync(join(dirname(ph.hub.gitdir), 'state', 'alerts.json'), 'utf8'));
    expect(file.version).toBe(1);
    expect(file.alerts.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([RULE_ID, 'config-rejected:config', 'key-expiring:openai-a/primary']));
    expect(JSON.stringify(file)).not.toContain(KEY);
  });
});
