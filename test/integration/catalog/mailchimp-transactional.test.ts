// The mailchimp-transactional (Mandrill) catalog template against a mock of the Transactional
// API 1.0 (test/mocks/providers/mailchimp-transactional.ts): the key inside the JSON body, the
// {status:'error', code, name, message} error, the pass-through door and the /users/ping check.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startMailchimpTransactionalMock, type MandrillMock } from '../../mocks/providers/mailchimp-transactional.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const MESSAGE = { message: { from_email: 'shop@example.com', subject: 'Your order', text: 'Shipped', to: [{ email: 'ada@example.com', type: 'to' }] } };

describe('mailchimp-transactional template', () => {
  let mock: MandrillMock;
  const origins = () => ({ 'https://mandrillapp.com': mock.url });

  beforeAll(async () => {
    mock = await startMailchimpTransactionalMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: the key travels in the JSON body as "key" (no auth header) on POST /api/1.0/messages/send; a wrong key gets 500 Invalid_Key', async () => {
    const req = await renderForTemplate({ template: 'mailchimp-transactional', service: 'messages-send', secret: { apiKey: mock.apiKey }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: JSON.stringify(MESSAGE) });
    expect(req.url.pathname).toBe('/api/1.0/messages/send');
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    const rows = (await res.json()) as { email: string; status: string; _id: string }[];
    expect(rows).toEqual([{ email: 'ada@example.com', status: 'sent', _id: mock.sent.at(-1)!._id, reject_reason: null, queued_reason: null }]);
    const got = mock.received.at(-1)!;
    expect(got.headers.authorization).toBeUndefined();
    expect(JSON.parse(got.body.toString())).toEqual({ ...MESSAGE, key: mock.apiKey });

    const wrong = await sendRendered(await renderForTemplate({ template: 'mailchimp-transactional', service: 'messages-send', secret: { apiKey: 'md-not-the-key' }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: JSON.stringify(MESSAGE) }));
    expect(wrong.status).toBe(500);
    expect(await wrong.json()).toEqual({ status: 'error', code: -1, name: 'Invalid_Key', message: 'Invalid API key' });
  });

  it('auth contract: a request without a body gets a JSON object of the key (POST /users/ping2 answers {"PING":"PONG!"})', async () => {
    const res = await sendRendered(await renderForTemplate({ template: 'mailchimp-transactional', secret: { apiKey: mock.apiKey }, origins: origins(), method: 'POST', path: '/users/ping2.json' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ PING: 'PONG!' });
    expect(JSON.parse(mock.received.at(-1)!.body.toString())).toEqual({ key: mock.apiKey });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'mailchimp-transactional', origins: origins(), secret: { apiKey: mock.apiKey },
        bindings: { 'transactional-mail': { protocol: 'http', service: 'messages-send' }, mandrill: { protocol: 'http', service: 'api' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/transactional-mail sends the message with the key merged into the body (a caller\'s own "key" is replaced)', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/transactional-mail', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...MESSAGE, key: 'caller-guess' }) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject([{ email: 'ada@example.com', status: 'sent' }]);
      const sends = mock.received.slice(before).filter((r) => r.path === '/api/1.0/messages/send');
      expect(sends).toHaveLength(1);
      expect(JSON.parse(sends[0].body.toString())).toEqual({ ...MESSAGE, key: mock.apiKey });
    });

    it('via proxy: a validation error passes through /bind/mandrill/messages/send.json in Mandrill\'s error shape', async () => {
      const res = await hub.door('/bind/mandrill/messages/send.json', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ message: { to: [] } }) });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ status: 'error', code: -2, name: 'ValidationError' });
    });
  });

  it('health check: POST /users/ping ("PONG!") with the key in the body is ok; fails once the key is revoked', async () => {
    const own = await startMailchimpTransactionalMock({ apiKey: 'md-healthcheckKey0123' });
    const hub = await startTemplateHub({ template: 'mailchimp-transactional', origins: { 'https://mandrillapp.com': own.url }, secret: { apiKey: own.apiKey }, bindings: { 'transactional-mail': { protocol: 'http', service: 'messages-send' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      const ping = own.received.find((r) => r.path === '/api/1.0/users/ping');
      expect(ping?.method).toBe('POST');
      expect(JSON.parse(ping!.body.toString())).toEqual({ key: own.apiKey });
      own.revoke();
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 500 });
      expect(JSON.stringify(failed)).not.toContain(own.apiKey);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
