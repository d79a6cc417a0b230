// The health monitor through a real hub with provider mocks on 127.0.0.1 and short probe
// intervals: a provider's health endpoint goes down → error within two probe intervals and a
// provider.status event, back up → active; failed traffic → degraded; the history survives a
// restart; GET /api/health answers as openapi.json describes it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { dirname } from 'node:path';
import { openApiChecker } from '../../helpers/openapi-check.ts';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';
import type { HealthStatus } from '../../../server/observe/health/types.ts';

const KEY = `sk-proj-${'h'.repeat(40)}`;
const INTERVAL = 300;
const provider = (id: string, baseUrl: string, extra = '') => `id: ${id}\ntemplate: openai\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: ${baseUrl}\n${extra}`;
const SIL_YAML = 'version: 1\nenvironments: [prod]\n';

/** Polls until the provider has `status`, at most `ms`; returns how long it took. */
async function waitForStatus(hub: Hub, id: string, status: HealthStatus, ms: number): Promise<number> {
  const start = Date.now();
  for (let i = 0; i < 400 && Date.now() - start < ms; i++) {
    if (hub.healthMonitor.get(id)?.status === status) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${id} did not become ${status} within ${ms} ms (it is ${hub.healthMonitor.get(id)?.status}: ${hub.healthMonitor.get(id)?.reason})`);
}

describe('health monitor through a real hub', () => {
  let up: MockUpstream;
  let busy: MockUpstream;
  let p: ProxyHub;
  let down = false;
  let failChat = false;
  const events: HubEvent[] = [];

  beforeAll(async () => {
    up = await startMockUpstream((r) => (down && r.url.startsWith('/v1/models') ? { status: 503, body: { error: { message: 'down' } } } : { status: 200, body: { data: [] } }));
    busy = await startMockUpstream((r) => (r.url.startsWith('/v1/models') ? { status: 200, body: { data: [] } } : failChat ? { status: 500, body: { error: { message: 'boom' } } } : { status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    p = await startProxyHub({
      'sil.yaml': SIL_YAML,
      'providers/up.yaml': provider('up', `${up.url}/v1`),
      // Probed rarely: its status here comes from traffic.
      'providers/busy.yaml': provider('busy', `${busy.url}/v1`, 'healthCheck:\n  enabled: false\n'),
      'bindings/chat.yaml': 'name: chat\nenvironment: prod\nprotocol: openai-chat\ntargets:\n  - { provider: busy, model: gpt-4o-mini }\n',
    }, { up: { apiKey: KEY }, busy: { apiKey: KEY } }, { health: { intervalMs: INTERVAL, tickMs: 100, probes: true } });
    p.hub.events.on((e) => {
      if (e.type === 'provider.status') events.push(e);
    });
  });
  afterAll(async () => {
    await p?.stop();
    await up?.close();
    await busy?.close();
  });

  it('probes with the key where the template puts it, never in the URL', async () => {
    await waitForStatus(p.hub, 'up', 'active', 5000);
    for (let i = 0; i < 100 && !up.received.some((r) => r.url === '/v1/models'); i++) await new Promise((r) => setTimeout(r, 20));
    const probe = up.received.find((r) => r.url === '/v1/models')!;
    expect(probe.method).toBe('GET');
    expect(probe.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(probe.url).not.toContain(KEY);
    // The mock saw the probe; the hub records it once the answer is back.
    for (let i = 0; i < 100 && !p.hub.healthMonitor.get('up')?.lastProbe; i++) await new Promise((r) => setTimeout(r, 20));
    expect(p.hub.healthMonitor.get('up')?.lastProbe).toMatchObject({ ok: true, status: 200 });
    // healthCheck.enabled: false in providers/busy.yaml: no probes.
    expect(busy.received.filter((r) => r.url === '/v1/models')).toEqual([]);
  });

  it('a provider whose health endpoint goes down is an error within two probe intervals, with a provider.status event; back up it is active', async () => {
    down = true;
    const took = await waitForStatus(p.hub, 'up', 'error', 2 * INTERVAL * 1.1 + 400);
    expect(took).toBeLessThanOrEqual(2 * INTERVAL * 1.1 + 400);
    const h = p.hub.healthMonitor.get('up')!;
    expect(h.reason).toBe('2 probes failed: status 503');
    expect(h.keys[0]).toMatchObject({ status: 'error' });
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ provider: 'up', to: 'error' }));
    const toError = events.find((e) => e.data.to === 'error')!;
    expect(toError.environment).toBe('prod');
    expect(JSON.stringify(events)).not.toContain(KEY);

    down = false;
    await waitForStatus(p.hub, 'up', 'active', 3 * INTERVAL + 1000);
    expect(events.at(-1)?.data).toMatchObject({ provider: 'up', to: 'active' });
    const transitions = p.hub.healthMonitor.transitions('up').map((t) => t.to);
    expect(transitions).toEqual(['active', 'degraded', 'error', 'active']);
  });

  it('failed traffic makes a provider degraded', async () => {
    const chat = async () => {
      const res = await fetch(`${p.hub.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }), signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status;
    };
    for (let i = 0; i < 7; i++) expect(await chat()).toBe(200);
    failChat = true;
    for (let i = 0; i < 3; i++) expect(await chat()).toBe(500);
    failChat = false;
    await waitForStatus(p.hub, 'busy', 'degraded', 2000);
    const h = p.hub.healthMonitor.get('busy')!;
    expect(h.traffic).toMatchObject({ requests: 10, errors: 3 });
    expect(h.reason).toBe('3 of the last 10 requests failed');
  });

  it('answers GET /api/health and /api/health/:provider as openapi.json describes them', async () => {
    let app: AdminApp | undefined;
    try {
      app = await startAdminApp();
      app.deps.health = p.hub.healthMonitor;
      const list = await app.api('GET', '/api/health');
      expect(list.status).toBe(200);
      expect(list.body.providers.map((x: { provider: string }) => x.provider).sort()).toEqual(['busy', 'up']);
      const one = await app.api('GET', '/api/health/up');
      expect(one.status).toBe(200);
      expect(one.body.health.uptime['24h']).toBeGreaterThan(0);
      expect(one.body.health.uptime['24h']).toBeLessThan(1);
      expect(one.body.transitions.map((t: { to: string }) => t.to)).toEqual(['active', 'degraded', 'error', 'active']);
      expect(one.body.probes.length).toBeGreaterThan(3);
      expect((await app.api('GET', '/api/health/nope')).status).toBe(404);

      const doc = (await app.api('GET', '/api/openapi.json')).body;
      const check = openApiChecker(doc);
      check('HealthList', list.body);
      check('HealthDetail', one.body);
    } finally {
      await app?.stop();
    }
  });

  it('keeps the history across a restart', async () => {
    const before = p.hub.healthMonitor.transitions('up');
    // Closed here; p.stop() (which closes the same object) then only removes the directory.
    const close = p.hub.close.bind(p.hub);
    let closed = false;
    p.hub.close = async () => {
      if (!closed) await close();
      closed = true;
    };
    await p.hub.close();
    const hub = await startHub({ dataDir: dirname(p.hub.gitdir), host: '127.0.0.1', port: 0, log: () => {}, health: { intervalMs: INTERVAL, tickMs: 100, probes: true } });
    try {
      expect(hub.healthMonitor.transitions('up')).toEqual(before);
      expect(hub.healthMonitor.get('up')?.uptime['24h']).toBeLessThan(1);
      expect(hub.healthMonitor.probes('up').length).toBeGreaterThan(3);
    } finally {
      await hub.close();
    }
  });
});
