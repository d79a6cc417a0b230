// Issue 13's parts working together through a real hub: a mock provider's health endpoint goes
// down → the health monitor says error within two probe intervals → the alert engine fires
// provider-down → the email channel sends once through the hub's SendGrid binding, and the
// outgoing webhook subscription (made through the admin API) gets provider.status and
// alert.firing, signed (verified with the standardwebhooks package), webhook-id = event id; the
// provider comes back → alert.resolved, health active. Then, on the same data directory, a hub
// child is SIGKILLed in the middle of a delivery's retry schedule; after the restart the delivery
// arrives with the same webhook-id, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, type Hub } from '../../../server/main.ts';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { GitWriter } from '../../../server/config/git-writer.ts';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { headCommit } from '../../../server/config/git-read.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { eventually, killIfRunning, processRuns, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { Browser, signedInOwner } from '../api/owner-app.ts';
import { ONCALL, OPENAI_KEY, SENDGRID_KEY, writeOutageConfig } from './outage-config.ts';
import { startReceiver, type Delivery, type Receiver } from './receiver.ts';

const INTERVAL = 400;
/** Two probe intervals, their ±10 % jitter, and a little for the HTTP poll. */
const TWO_INTERVALS = 2 * INTERVAL * 1.1 + 300;
const CHILD = fileURLToPath(new URL('./hub-child.ts', import.meta.url));
const LISTENING = /sil listening on (http:\/\/127\.0\.0\.1:\d+)/;
const ALERT_ID = 'provider-down:up';

/** Polls `check` every 20 ms until it answers something other than undefined, at most `ms`. */
async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('issue 13: a provider outage through health, alerts, channels and signed webhooks', () => {
  const tmp = tempDir('sil-issue13-');
  const data = join(tmp.path, 'data');
  let provider: MockUpstream;
  let sendgrid: MockUpstream;
  let rx: Receiver;
  let hub: Hub | undefined;
  let owner: Browser;
  const children: SilProcess[] = [];
  const bus: HubEvent[] = [];
  let down = false;

  const mails = () => sendgrid.received.filter((r) => r.url === '/v3/mail/send').map((r) => ({ auth: r.headers.authorization, ...(JSON.parse(r.body) as { subject: string; personalizations: { to: { email: string }[] }[] }) }));
  const healthOf = async (id: string) => ((await owner.get('/api/health')).body.providers as { provider: string; status: string }[]).find((p) => p.provider === id)?.status;
  const alertOf = async (id: string) => ((await owner.get('/api/alerts')).body.alerts as { id: string; state: string; kind: string; severity: string }[]).find((a) => a.id === id);
  const delivered = (type: string, match: (d: Delivery) => boolean = () => true) => rx.deliveries.filter((d) => d.event.type === type && match(d));

  beforeAll(async () => {
    provider = await startMockUpstream((r) => (down && r.url.startsWith('/v1/models') ? { status: 503, body: { error: { message: 'down for maintenance' } } } : { status: 200, body: { object: 'list', data: [] } }));
    sendgrid = await startMockUpstream(() => ({ status: 202 }));
    rx = await startReceiver();
    await writeOutageConfig(data, { provider: provider.url, sendgrid: sendgrid.url });
    hub = await startHub({ dataDir: data, host: '127.0.0.1', port: 0, pollMs: 100, consoleDir: null, log: () => {}, health: { intervalMs: INTERVAL, tickMs: 100, probes: true }, alerts: { evaluateMs: 200 } });
    hub.events.on((e) => bus.push(e));

    owner = await signedInOwner(hub.url, data);
  }, 60_000);

  afterAll(async () => {
    for (const c of children) killIfRunning(c.child.pid);
    await hub?.close();
    await Promise.all([provider?.close(), sendgrid?.close(), rx?.close()]);
    tmp.cleanup();
  });

  it('subscribes a receiver through the admin API; the whsec_ secret is shown once', async () => {
    const base = (await owner.get('/api/providers')).body.commit;
    const res = await owner.post('/api/webhooks', { base, webhook: { name: 'oncall', url: rx.url, events: ['alert.*', 'provider.status', 'config.applied'], retry: { scheduleSeconds: [2, 2, 2, 2, 2] } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_/);
    rx.secret = res.body.secret;
    const listed = await owner.get('/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(rx.secret);
    // The subscription's own commit is a config.applied: it arrives, signed.
    const first = await waitFor('the subscription commit delivered', () => delivered('config.applied', (d) => d.event.data.commit === res.body.commit)[0], 10_000);
    expect(first.verified).toBe(true);
    await waitFor('up active', async () => ((await healthOf('up')) === 'active' ? true : undefined), 5000);
  });

  it('the provider goes down: error within two probe intervals, a firing provider-down alert, one email, signed provider.status and alert.firing', async () => {
    const t0 = Date.now();
    down = true;
    await waitFor('up in error in /api/health', async () => ((await healthOf('up')) === 'error' ? true : undefined), 5000);
    const took = Date.now() - t0;
    expect(took).toBeLessThanOrEqual(TWO_INTERVALS);

    const alert = await waitFor('a firing alert', async () => {
      const a = await alertOf(ALERT_ID);
      return a?.state === 'firing' ? a : undefined;
    }, 2000);
    expect(alert).toMatchObject({ kind: 'provider-down', severity: 'critical' });

    const firing = await waitFor('alert.firing delivered', () => delivered('alert.firing', (d) => d.event.data.id === ALERT_ID)[0], 5000);
    const toError = await waitFor('provider.status → error delivered', () => delivered('provider.status', (d) => d.event.data.provider === 'up' && d.event.data.to === 'error')[0], 5000);
    for (const d of [firing, toError]) {
      expect(d.verified).toBe(true);
      expect(d.status).toBe(200);
      expect(d.headers['webhook-signature']).toMatch(/^v1,/);
      // webhook-id is the id of the event on the hub's bus.
      const e = bus.find((x) => x.id === d.id);
      expect(e?.type).toBe(d.event.type);
      expect(e?.data).toMatchObject(d.event.data.provider ? { provider: 'up', to: 'error' } : { id: ALERT_ID, state: 'firing' });
    }
    expect(firing.event.data).toMatchObject({ id: ALERT_ID, kind: 'provider-down', state: 'firing', environment: 'prod' });

    const sent = await waitFor('the email', () => (mails().length ? mails() : undefined), 5000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('[sil] FIRING critical: up is down');
    expect(sent[0]!.personalizations[0]!.to).toEqual([{ email: ONCALL }]);
    expect(sent[0]!.auth).toBe(`Bearer ${SENDGRID_KEY}`);
    // Still down: more failing probes, but no second alert.firing, no second email.
    await new Promise((r) => setTimeout(r, 3 * INTERVAL));
    expect(delivered('alert.firing')).toHaveLength(1);
    expect(mails().filter((m) => m.subject.startsWith('[sil] FIRING'))).toHaveLength(1);
    expect(JSON.stringify(rx.deliveries.map((d) => d.body))).not.toContain(OPENAI_KEY);
  });

  it('the provider comes back: alert.resolved, the alert resolved in /api/alerts, health active', async () => {
    down = false;
    await waitFor('up active again', async () => ((await healthOf('up')) === 'active' ? true : undefined), 4 * INTERVAL + 2000);
    const resolved = await waitFor('alert.resolved delivered', () => delivered('alert.resolved', (d) => d.event.data.id === ALERT_ID)[0], 5000);
    expect(resolved.verified).toBe(true);
    expect(bus.find((e) => e.id === resolved.id)?.type).toBe('alert.resolved');
    expect(delivered('provider.status', (d) => d.event.data.to === 'active').length).toBeGreaterThanOrEqual(1);
    expect((await alertOf(ALERT_ID))?.state).toBe('resolved');
    await waitFor('the resolved email', () => (mails().some((m) => m.subject === '[sil] RESOLVED: up is down') ? true : undefined), 5000);
    expect(mails().map((m) => m.subject)).toEqual(['[sil] FIRING critical: up is down', '[sil] RESOLVED: up is down']);
    // Every delivery so far: signed, answered 200, each webhook-id once.
    expect(rx.deliveries.every((d) => d.verified && d.status === 200)).toBe(true);
    expect(new Set(rx.deliveries.map((d) => d.id)).size).toBe(rx.deliveries.length);
  });

  it('a hub child killed in the middle of a retry schedule sends the delivery after its restart, with the same webhook-id, once', async () => {
    await hub!.close();
    hub = undefined;
    const start = async () => {
      const p = spawnSil([data], { bin: CHILD });
      children.push(p);
      return { p, url: (await p.waitFor(LISTENING, 60_000))[1]! };
    };
    const first = await start();

    rx.answer = 500;
    const { paths } = await initDataDir(data);
    const writer = new GitWriter({ gitdir: paths.gitdir, catalog: projectCatalog().catalog });
    const change = await writer.commit({ base: await headCommit(paths.gitdir), author: { name: 'Owner', email: 'owner@example.test' }, message: 'a change while the receiver is broken', changes: { 'policies/night.yaml': 'name: night\nrateLimit: { requests: 100, per: minute }\n' } });
    const failed = await waitFor('the first attempt, failed', () => delivered('config.applied', (d) => d.event.data.commit === change.commit)[0], 10_000);
    expect(failed).toMatchObject({ status: 500, verified: true });
    const pid = first.p.child.pid!;
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => !processRuns(pid), 5000)).toBe(true);
    const attemptsBefore = delivered('config.applied', (d) => d.id === failed.id).length;

    rx.answer = 200;
    const second = await start();
    const ok = await waitFor('the delivery after the restart', () => delivered('config.applied', (d) => d.id === failed.id && d.status === 200)[0], 15_000);
    expect(ok.verified).toBe(true);
    expect(ok.body).toBe(failed.body);
    // Nothing more for this event after its success (2 s is the schedule's next retry).
    await new Promise((r) => setTimeout(r, 2500));
    const attempts = delivered('config.applied', (d) => d.id === failed.id);
    expect(attempts.filter((d) => d.status === 200)).toHaveLength(1);
    expect(attempts.length).toBe(attemptsBefore + 1);
    // The delivery log of the restarted hub says so (the owner's session survives the restart).
    const browser = new Browser(second.url);
    for (const [k, v] of owner.cookies) browser.cookies.set(k, v);
    const log = await browser.get('/api/webhooks/oncall/deliveries');
    expect(log.status).toBe(200);
    const entry = log.body.deliveries.find((d: { webhookId: string }) => d.webhookId === failed.id);
    expect(entry).toMatchObject({ state: 'delivered', lastStatus: 200 });
    // The kill may land after the receiver answered 500 but before the hub's journal recorded that
    // attempt: the log then counts one attempt fewer than the receiver saw (never more).
    expect(entry.attempts).toBeGreaterThanOrEqual(attempts.length - 1);
    expect(entry.attempts).toBeLessThanOrEqual(attempts.length);
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited()).toBe(0);
  }, 90_000);
});
