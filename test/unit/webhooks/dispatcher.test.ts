import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DeliveryJournal } from '../../../server/webhooks/delivery-journal.ts';
import { EndpointStates } from '../../../server/webhooks/endpoint-states.ts';
import { FIVE_DAYS_MS, WebhookDispatcher, type Timers } from '../../../server/webhooks/dispatcher.ts';
import { newSigningSecret } from '../../../server/webhooks/signature.ts';
import type { SendRequest, SendResult } from '../../../server/webhooks/http-send.ts';
import type { HubEvent } from '../../../server/events/hub-events.ts';
import type { WebhookSubscription } from '../../../schemas/types.gen.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A dispatcher with an injected clock, manual timers and a scripted receiver. */
async function setup(opts: { dir?: string; subs?: WebhookSubscription[]; answers?: (number | null)[]; start?: number } = {}) {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'sil-whd-')));
  if (!opts.dir) dirs.push(dir);
  let now = opts.start ?? Date.now();
  let timer: { fn: () => void; at: number } | null = null;
  const timers: Timers = { set: (fn, ms) => (timer = { fn, at: now + ms }), clear: () => (timer = null) };
  const secret = newSigningSecret();
  const sent: SendRequest[] = [];
  const answers = [...(opts.answers ?? [])];
  const disabled: string[] = [];
  const subs = new Map((opts.subs ?? [{ name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['*'] }]).map((s) => [s.name, s]));
  const journal = await DeliveryJournal.open(dir, { now });
  const endpoints = await EndpointStates.open(dir, () => {});
  const d = new WebhookDispatcher({
    journal, endpoints, subscriptions: () => subs, secrets: () => [secret], now: () => now, timers, random: () => 0.5,
    send: async (req): Promise<SendResult> => {
      sent.push(req);
      const status = answers.length ? answers.shift()! : 200;
      return status === null ? { status: null, error: 'ECONNREFUSED' } : { status };
    },
    onDisabled: (name, reason) => disabled.push(`${name}: ${reason}`), log: () => {},
  });
  d.start();
  /** Moves the clock to the armed timer (or by `ms`) and runs what is due. */
  async function advance(ms?: number) {
    // The dispatcher's timer sleeps at most a minute: jump to the next delivery due instead.
    const due = Math.min(...journal.pending().map((p) => p.nextAt ?? Infinity));
    now = ms === undefined ? Math.max(now, Number.isFinite(due) ? due : now) : now + ms;
    const t = timer;
    if (t && t.at <= now) {
      timer = null;
      t.fn();
    }
    await d.idle();
  }
  const nextIn = () => Math.min(...journal.pending().map((p) => p.nextAt ?? Infinity)) - now;
  return { d, dir, journal, sent, secret, disabled, subs, advance, nextIn, timer: () => timer, clock: () => now };
}

const event = (over: Partial<HubEvent> = {}): HubEvent => ({ id: 'evt_test1', type: 'config.applied', at: Date.now(), data: { commit: 'abc' }, ...over });

describe('webhook dispatcher', () => {
  it('retries a failing receiver on the schedule with the same webhook-id, each attempt signed', async () => {
    const t = await setup({ answers: [500, null] });
    const [made] = await t.d.accept(event());
    await t.d.idle();
    expect(t.sent).toHaveLength(1);
    expect(t.nextIn()).toBe(5000);
    expect(t.timer()!.at - t.clock()).toBe(5000);
    await t.advance();
    expect(t.sent).toHaveLength(2);
    expect(t.nextIn()).toBe(300_000);
    expect(t.timer()!.at - t.clock()).toBe(60_000);
    await t.advance();
    expect(t.sent).toHaveLength(3);
    expect(new Set(t.sent.map((s) => s.headers['webhook-id']))).toEqual(new Set(['evt_test1']));
    expect(new Webhook(t.secret).verify(t.sent[0]!.body, t.sent[0]!.headers)).toMatchObject({ type: 'config.applied', data: { commit: 'abc' } });
    // Later attempts are stamped on the test's clock (minutes ahead): the official library signs them to compare.
    for (const s of t.sent) expect(s.headers['webhook-signature']).toBe(new Webhook(t.secret).sign('evt_test1', new Date(Number(s.headers['webhook-timestamp']) * 1000), s.body));
    expect(new Set(t.sent.map((s) => s.headers['webhook-timestamp'])).size).toBe(3);
    const done = t.journal.get(made!.id)!;
    expect(done.state).toBe('delivered');
    expect(done.attempts.map((a) => a.status)).toEqual([500, null, 200]);
    expect(t.d.endpoint('ops')).toEqual({ lastSuccessAt: t.clock() });
    await t.d.close();
  });

  it('a pending delivery survives a restart and keeps its webhook-id', async () => {
    const t = await setup({ answers: [503] });
    await t.d.accept(event({ id: 'evt_keep' }));
    await t.d.idle();
    await t.d.close();
    const again = await setup({ dir: t.dir, start: t.clock() + 10_000 });
    expect(again.journal.pending()).toHaveLength(1);
    await again.advance(0);
    expect(again.sent.map((s) => s.headers['webhook-id'])).toEqual(['evt_keep']);
    expect(again.journal.list('ops')[0]!.state).toBe('delivered');
    await again.d.close();
  });

  it('filters by event pattern and environment', async () => {
    const t = await setup({ subs: [
      { name: 'alerts', url: 'http://127.0.0.1:9/a', events: ['alert.*'] },
      { name: 'prod', url: 'http://127.0.0.1:9/p', events: ['*'], environment: 'prod' },
      { name: 'off', url: 'http://127.0.0.1:9/o', events: ['*'], enabled: false },
    ] });
    expect((await t.d.accept(event({ type: 'alert.firing' }))).map((d) => d.subscription).sort()).toEqual(['alerts', 'prod']);
    expect((await t.d.accept(event({ type: 'provider.status', environment: 'dev' }))).map((d) => d.subscription)).toEqual([]);
    expect((await t.d.accept(event({ type: 'provider.status', environment: 'prod' }))).map((d) => d.subscription)).toEqual(['prod']);
    await t.d.close();
  });

  it('disables an endpoint failing for 5 days, calls onDisabled once, fails what is pending and queues nothing more', async () => {
    const t = await setup({ subs: [{ name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['*'], retry: { scheduleSeconds: [86_400, 86_400, 86_400, 86_400, 86_400, 86_400] } }], answers: Array(10).fill(500) });
    const [first] = await t.d.accept(event());
    await t.d.idle();
    for (let i = 0; i < 4; i++) await t.advance();
    expect(t.disabled).toEqual([]);
    expect(t.d.endpoint('ops').failingSince).toBeDefined();
    await t.advance();
    expect(t.clock() - t.d.endpoint('ops').failingSince!).toBeGreaterThanOrEqual(FIVE_DAYS_MS);
    expect(t.disabled).toHaveLength(1);
    expect(t.disabled[0]).toMatch(/^ops: every attempt failed for 120 hours/);
    expect(t.journal.get(first!.id)!.state).toBe('failed');
    expect(await t.d.accept(event({ id: 'evt_after' }))).toEqual([]);
    await expect(t.d.replay(first!.id)).rejects.toThrow(/disabled by the hub/);
    await t.d.enable('ops');
    const replay = await t.d.replay(first!.id);
    expect(replay.webhookId).toBe('evt_test1');
    await t.d.idle();
    expect(t.sent.at(-1)!.headers['webhook-id']).toBe('evt_test1');
    await t.d.close();
  });

  it('410 Gone disables at once', async () => {
    const t = await setup({ answers: [410] });
    await t.d.accept(event());
    await t.d.idle();
    expect(t.disabled).toEqual(['ops: the receiver answered 410 Gone']);
    expect(t.journal.list('ops')[0]!.reason).toMatch(/410/);
    await t.d.close();
  });

  it('retry.disableAfterFailures disables after that many failed attempts in a row', async () => {
    const t = await setup({ subs: [{ name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['*'], retry: { disableAfterFailures: 2 } }], answers: [500, 500] });
    await t.d.accept(event());
    await t.d.idle();
    await t.advance();
    expect(t.disabled[0]).toMatch(/2 attempts in a row/);
    await t.d.close();
  });

  it('gives up when the schedule has no attempt left', async () => {
    const t = await setup({ subs: [{ name: 'ops', url: 'http://127.0.0.1:9/hook', events: ['*'], retry: { scheduleSeconds: [1] } }], answers: [500, 500] });
    const [d] = await t.d.accept(event());
    await t.d.idle();
    await t.advance();
    expect(t.journal.get(d!.id)).toMatchObject({ state: 'failed', nextAt: null });
    expect(t.journal.get(d!.id)!.reason).toMatch(/no attempt left/);
    await t.d.close();
  });
});
