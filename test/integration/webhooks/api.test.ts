// /api/webhooks over the real admin API (git writer, loader, vault): create with the secret
// shown once and stored encrypted, list/get with signing metadata, rotation with an overlap in
// which both secrets sign, the delivery log, replay, enable after a hub disable, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startAdminApp, type AdminApp } from '../../helpers/admin-app.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { eventually } from '../../helpers/sil-process.ts';
import { HubEvents } from '../../../server/events/hub-events.ts';
import { guardedLookup } from '../../../server/proxy/guarded-lookup.ts';
import { readTextAt } from '../../../server/config/git-read.ts';
import { startWebhooks, type WebhooksRuntime } from '../../../server/webhooks/runtime.ts';
import { startReceiver, type Receiver } from './receiver.ts';

describe('/api/webhooks', () => {
  let app: AdminApp;
  let rx: Receiver;
  let runtime: WebhooksRuntime;
  const events = new HubEvents();
  const state = tempDir('sil-wh-api-');

  beforeAll(async () => {
    app = await startAdminApp();
    rx = await startReceiver();
    runtime = await startWebhooks({ dataDir: join(state.path, 'data'), live: app.deps.live, events, lookup: guardedLookup({ allowPrivate: () => false }), userAgent: 'sil/test', log: () => {} });
    app.deps.webhooks = runtime.dispatcher;
  });
  afterAll(async () => {
    await runtime?.close();
    await rx?.close();
    await app?.stop();
    state.cleanup();
  });

  let secret = '';

  it('creates a subscription with its secret shown once and kept encrypted in the vault', async () => {
    const res = await app.api('POST', '/api/webhooks', { base: await app.base(), webhook: { name: 'ops', url: rx.url, events: ['config.*', 'alert.*'] } });
    expect(res.status).toBe(201);
    secret = res.body.secret;
    expect(secret).toMatch(/^whsec_/);
    rx.secret = secret;
    const file = await readTextAt(app.gitdir, res.body.commit, 'secrets/webhook-ops.yaml');
    expect(file).toContain('signingSecret: ENC[AES256_GCM');
    expect(file).not.toContain(secret.slice(6));
    const list = await app.api('GET', '/api/webhooks');
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.body.webhooks[0]).toMatchObject({ name: 'ops', url: rx.url, state: { disabledByHub: false }, signing: { keys: [{ id: 'primary', status: 'active' }] } });
    expect(list.text).not.toContain(secret);
    const status = await app.api('GET', '/api/status');
    expect(JSON.stringify(status.body.warnings)).not.toMatch(/webhook-ops/);
  });

  it('delivers an event, lists it, shows its attempts, replays it with the same webhook-id', async () => {
    const e = events.emit('config.applied', { commit: 'c0ffee' });
    expect(await eventually(() => rx.received.length === 1, 5000)).toBe(true);
    expect(rx.received[0]!.verified).toBe(true);
    expect(rx.received[0]!.headers['webhook-id']).toBe(e.id);
    await runtime.dispatcher.idle();
    const list = await app.api('GET', '/api/webhooks/ops/deliveries');
    expect(list.status).toBe(200);
    expect(list.body.deliveries[0]).toMatchObject({ webhookId: e.id, webhook: 'ops', type: 'config.applied', state: 'delivered', attempts: 1, lastStatus: 200 });
    const id = list.body.deliveries[0].id;
    const one = await app.api('GET', `/api/webhooks/deliveries/${id}`);
    expect(JSON.parse(one.body.delivery.body)).toMatchObject({ type: 'config.applied', data: { commit: 'c0ffee' } });
    expect(one.body.delivery.attemptLog[0]).toMatchObject({ status: 200, response: 'ok' });
    const replay = await app.api('POST', `/api/webhooks/deliveries/${id}/replay`, {});
    expect(replay.status).toBe(201);
    expect(replay.body.delivery).toMatchObject({ webhookId: e.id, replayOf: id });
    expect(await eventually(() => rx.received.length === 2, 5000)).toBe(true);
    expect(rx.received[1]!.headers['webhook-id']).toBe(e.id);
    expect((await app.api('GET', '/api/webhooks/deliveries/dlv_nothing')).status).toBe(404);
  });

  it('rotates the secret: shown once, both secrets sign during the overlap', async () => {
    const res = await app.api('POST', '/api/webhooks/ops/secret/rotate', { base: await app.base(), graceHours: 2 });
    expect(res.status).toBe(200);
    const next = res.body.secret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    const got = await app.api('GET', '/api/webhooks/ops');
    expect(got.body.webhook.signing.keys.map((k: { status: string }) => k.status).sort()).toEqual(['active', 'retiring']);
    events.emit('alert.firing', { id: 'a1' });
    expect(await eventually(() => rx.received.length === 3, 5000)).toBe(true);
    const last = rx.received[2]!;
    expect(String(last.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(next).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    // graceHours 0: the old secret stops at once.
    const hard = await app.api('POST', '/api/webhooks/ops/secret/rotate', { base: await app.base(), graceHours: 0 });
    expect((await app.api('GET', '/api/webhooks/ops')).body.webhook.signing.keys.filter((k: { status: string }) => k.status !== 'revoked').length).toBe(2);
    rx.secret = hard.body.secret;
  });

  it('enable lifts a disable made by the hub; 410 Gone disables', async () => {
    rx.answer = 410;
    events.emit('config.applied', { commit: 'dead' });
    expect(await eventually(() => runtime.dispatcher.endpoint('ops').disabledAt !== undefined, 5000)).toBe(true);
    expect((await app.api('GET', '/api/webhooks/ops')).body.webhook.state).toMatchObject({ disabledByHub: true, disabledReason: 'the receiver answered 410 Gone' });
    const count = rx.received.length;
    events.emit('config.applied', { commit: 'ignored' });
    await runtime.dispatcher.idle();
    expect(rx.received.length).toBe(count);
    rx.answer = 200;
    const en = await app.api('POST', '/api/webhooks/ops/enable', {});
    expect(en.body).toMatchObject({ name: 'ops', state: { disabledByHub: false } });
    expect(en.body.state.disabledReason).toBeUndefined();
    events.emit('config.applied', { commit: 'back' });
    expect(await eventually(() => rx.received.length === count + 1, 5000)).toBe(true);
  });

  it('deletes the subscription with its secret', async () => {
    const res = await app.api('DELETE', '/api/webhooks/ops', { base: await app.base() });
    expect(res.status).toBe(200);
    expect(await readTextAt(app.gitdir, res.body.commit, 'secrets/webhook-ops.yaml')).toBeNull();
    expect((await app.api('GET', '/api/webhooks')).body.webhooks).toEqual([]);
  });
});
