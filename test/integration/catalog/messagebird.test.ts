// The messagebird catalog template against a mock of MessageBird's legacy REST API and the Bird
// platform API (test/mocks/providers/messagebird.ts; both origins on one mock):
// `Authorization: AccessKey <key>`, each API's error shape, the pass-through door and the
// legacy /balance health check.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMessagebirdMock, type MessagebirdMock } from '../../mocks/providers/messagebird.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const SMS = JSON.stringify({ originator: 'SilShop', recipients: ['31612345678'], body: 'Your parcel ships today' });
const CHANNEL = '7e1c5a3b-0000-4000-8000-00000000c4a1';
const CHANNEL_MESSAGE = JSON.stringify({ receiver: { contacts: [{ identifierValue: '+31612345678' }] }, body: { type: 'text', text: { text: 'Hello' } } });

describe('messagebird template', () => {
  let mock: MessagebirdMock;
  const origins = () => ({ 'https://rest.messagebird.com': mock.url, 'https://api.bird.com': mock.url });
  const connection = () => ({ workspaceId: mock.workspaceId });

  beforeAll(async () => {
    mock = await startMessagebirdMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: Authorization: AccessKey <key> on the legacy POST /messages (201); a wrong key gets 401 errors[0].code 2', async () => {
    const base = { template: 'messagebird', service: 'messages', connection: connection(), origins: origins(), method: 'POST', headers: JSON_TYPE, body: SMS };
    const res = await sendRendered(await renderForTemplate({ ...base, secret: { accessKey: mock.accessKey } }));
    expect(res.status).toBe(201);
    const msg = (await res.json()) as { id: string; recipients: { totalCount: number } };
    expect(msg.recipients.totalCount).toBe(1);
    expect(mock.sms.at(-1)).toMatchObject({ id: msg.id, originator: 'SilShop', recipients: ['31612345678'] });
    expect(mock.received.at(-1)!.headers.authorization).toBe(`AccessKey ${mock.accessKey}`);

    const wrong = await sendRendered(await renderForTemplate({ ...base, secret: { accessKey: 'live_wrongwrongwrongwrong00' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: [{ code: 2, description: 'Request not allowed (incorrect access_key)', parameter: 'access_key' }] });
  });

  it('auth contract: the bird service sends AccessKey to https://api.bird.com/workspaces/<workspaceId>; a wrong key gets 401 {code, message}', async () => {
    const base = { template: 'messagebird', service: 'bird', connection: connection(), origins: origins(), path: '/channels' };
    const req = await renderForTemplate({ ...base, secret: { accessKey: mock.accessKey } });
    expect(req.url.pathname).toBe(`/workspaces/${mock.workspaceId}/channels`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ id: CHANNEL, status: 'active' }] });

    const wrong = await sendRendered(await renderForTemplate({ ...base, secret: { accessKey: 'nope' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ code: 'Unauthorized', message: expect.any(String) });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'messagebird', origins: origins(), connection: connection(), secret: { accessKey: mock.accessKey },
        bindings: { sms: { protocol: 'http', service: 'messages' }, bird: { protocol: 'http', service: 'bird' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/sms (form-encoded) sends an SMS with AccessKey on rest.messagebird.com', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/sms', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'originator=SilShop&recipients=31687654321&body=Pickup+ready' });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ type: 'sms', originator: 'SilShop', body: 'Pickup ready' });
      const posts = mock.received.slice(before).filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual(['/messages']);
      expect(posts[0].headers.authorization).toBe(`AccessKey ${mock.accessKey}`);
      expect(mock.sms.at(-1)!.recipients).toEqual(['31687654321']);
    });

    it('via proxy: POST /bind/bird/channels/<channel>/messages reaches the workspace path and answers 202', async () => {
      const before = mock.received.length;
      const res = await hub.door(`/bind/bird/channels/${CHANNEL}/messages`, { method: 'POST', headers: JSON_TYPE, body: CHANNEL_MESSAGE });
      expect(res.status).toBe(202);
      const answer = (await res.json()) as { id: string; status: string };
      expect(answer.status).toBe('accepted');
      const posts = mock.received.slice(before).filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual([`/workspaces/${mock.workspaceId}/channels/${CHANNEL}/messages`]);
      expect(posts[0].headers.authorization).toBe(`AccessKey ${mock.accessKey}`);
      expect(mock.channelMessages.at(-1)!.id).toBe(answer.id);
    });

    it('via proxy: a legacy validation error passes through in the errors[] shape', async () => {
      const res = await hub.door('/bind/sms', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ originator: 'SilShop', body: 'no recipients' }) });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ errors: [{ code: 9, description: 'no (correct) recipients found', parameter: 'recipients' }] });
    });
  });

  it('health check: legacy GET /balance is ok; fails (401) once the key is revoked', async () => {
    const own = await startMessagebirdMock({ accessKey: 'test_HealthCheckKey0123456' });
    const hub = await startTemplateHub({ template: 'messagebird', origins: { 'https://rest.messagebird.com': own.url, 'https://api.bird.com': own.url }, secret: { accessKey: own.accessKey }, bindings: { sms: { protocol: 'http', service: 'messages' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.method === 'GET' && r.path === '/balance' && r.headers.authorization === `AccessKey ${own.accessKey}`)).toBe(true);
      own.revoke();
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(JSON.stringify(failed)).not.toContain(own.accessKey);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
