// The twilio catalog template against a mock of Twilio's REST API (test/mocks/providers/twilio.ts):
// HTTP Basic (Account SID + auth token, or the api-key option's SK sid + secret), form-encoded
// Messages.json, Twilio's error object, the pass-through door and the health check.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startTwilioMock, type TwilioMock } from '../../mocks/providers/twilio.ts';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const SMS = 'To=%2B15005550006&From=%2B15005550001&Body=Your+code+is+1234';
const basicOf = (r: { headers: Record<string, unknown> }) => Buffer.from(String(r.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');

describe('twilio template', () => {
  let mock: TwilioMock;
  const origins = () => ({ 'https://api.twilio.com': mock.url });
  const connection = () => ({ accountSid: mock.accountSid });

  beforeAll(async () => {
    mock = await startTwilioMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: Basic AccountSid:AuthToken on a form-encoded Messages.json POST; a wrong auth token gets 401 code 20003', async () => {
    const req = await renderForTemplate({ template: 'twilio', service: 'messages', connection: connection(), secret: { authToken: mock.authToken }, origins: origins(), method: 'POST', headers: FORM, body: SMS });
    expect(req.url.pathname).toBe(`/2010-04-01/Accounts/${mock.accountSid}/Messages.json`);
    const res = await sendRendered(req);
    expect(res.status).toBe(201);
    const msg = (await res.json()) as { sid: string; status: string; to: string; body: string };
    expect(msg).toMatchObject({ status: 'queued', to: '+15005550006', body: 'Your code is 1234' });
    expect(mock.messages.map((m) => m.sid)).toContain(msg.sid);

    const wrong = await sendRendered(await renderForTemplate({ template: 'twilio', service: 'messages', connection: connection(), secret: { authToken: '0'.repeat(32) }, origins: origins(), method: 'POST', headers: FORM, body: SMS }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    expect(await wrong.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });

  it('auth contract: option api-key sends Basic SKsid:secret with the Account SID still in the path; a wrong secret gets 401 code 20003', async () => {
    const base = { template: 'twilio', service: 'usage', authOption: 'api-key', connection: connection(), origins: origins(), path: '/Balance.json' };
    const req = await renderForTemplate({ ...base, secret: { apiKeySid: mock.apiKeySid, apiKeySecret: mock.apiKeySecret } });
    expect(req.url.pathname).toBe(`/2010-04-01/Accounts/${mock.accountSid}/Balance.json`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ account_sid: mock.accountSid, currency: 'USD' });
    expect(basicOf(mock.received.at(-1)!)).toBe(`${mock.apiKeySid}:${mock.apiKeySecret}`);

    const wrong = await sendRendered(await renderForTemplate({ ...base, secret: { apiKeySid: mock.apiKeySid, apiKeySecret: 'not-the-secret' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 20003, status: 401 });
  });

  it('auth contract: credentials of another account are refused on this account\'s path', async () => {
    const other = 'AC' + 'f'.repeat(32);
    const res = await sendRendered(await renderForTemplate({ template: 'twilio', service: 'usage', connection: { accountSid: other }, secret: { authToken: mock.authToken }, origins: origins(), path: '/Balance.json' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003 });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'twilio', origins: origins(), connection: connection(), secret: { authToken: mock.authToken },
        bindings: { sms: { protocol: 'http', service: 'messages' }, 'twilio-api': { protocol: 'http', service: 'api' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/sms (form-encoded) creates a message with the account\'s Basic credentials', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/sms', { method: 'POST', headers: FORM, body: SMS });
      expect(res.status).toBe(201);
      const msg = (await res.json()) as { sid: string; account_sid: string };
      expect(msg.account_sid).toBe(mock.accountSid);
      // (the hub's health probes reach the same mock meanwhile: only the POST is the call)
      const got = mock.received.slice(before).filter((r) => r.method === 'POST');
      expect(got).toHaveLength(1);
      expect(got[0].path).toBe(`/2010-04-01/Accounts/${mock.accountSid}/Messages.json`);
      expect(basicOf(got[0])).toBe(`${mock.accountSid}:${mock.authToken}`);
      expect(got[0].body.toString()).toBe(SMS);
      expect(mock.messages.at(-1)!.sid).toBe(msg.sid);
    });

    it('via proxy: Twilio\'s error object passes through /bind/twilio-api (400 code 21604, 429 code 20429)', async () => {
      const path = `/bind/twilio-api/Accounts/${mock.accountSid}/Messages.json`;
      const bad = await hub.door(path, { method: 'POST', headers: FORM, body: 'Body=hi&From=%2B15005550001' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 21604, status: 400, more_info: 'https://www.twilio.com/docs/errors/21604' });
      mock.rateLimited = true;
      try {
        const limited = await hub.door(`/bind/twilio-api/Accounts/${mock.accountSid}/Balance.json`);
        expect(limited.status).toBe(429);
        expect(await limited.json()).toMatchObject({ code: 20429, status: 429 });
      } finally {
        mock.rateLimited = false;
      }
    });
  });

  it('health check: GET /Accounts/{sid}.json is ok; fails (401) once the auth token is revoked', async () => {
    const own = await startTwilioMock();
    const hub = await startTemplateHub({ template: 'twilio', origins: { 'https://api.twilio.com': own.url }, connection: { accountSid: own.accountSid }, secret: { authToken: own.authToken }, bindings: { sms: { protocol: 'http', service: 'messages' } } });
    try {
      const ok = await hub.healthProbe();
      expect(ok).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.method === 'GET' && r.path === `/2010-04-01/Accounts/${own.accountSid}.json`)).toBe(true);
      own.revoke('authToken');
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(JSON.stringify(failed)).not.toContain(own.authToken);
    } finally {
      await hub.stop();
      await own.close();
    }
  });

  it('health check: option api-key checks GET .../Messages.json?PageSize=1 (a standard key may not read the Account: 403); fails once the key is deleted', async () => {
    const own = await startTwilioMock();
    const key = { apiKeySid: own.apiKeySid, apiKeySecret: own.apiKeySecret };
    const rendered = await renderForTemplate({ template: 'twilio', healthCheck: true, authOption: 'api-key', connection: { accountSid: own.accountSid }, secret: key, origins: { 'https://api.twilio.com': own.url } });
    expect(rendered.url.pathname + rendered.url.search).toBe(`/2010-04-01/Accounts/${own.accountSid}/Messages.json?PageSize=1`);
    // The template's own check, GET /Accounts/{sid}.json, is what a standard key may not do.
    const accountRead = await sendRendered(await renderForTemplate({ template: 'twilio', authOption: 'api-key', connection: { accountSid: own.accountSid }, secret: key, origins: { 'https://api.twilio.com': own.url }, path: `/Accounts/${own.accountSid}.json` }));
    expect(accountRead.status).toBe(403);
    // The key holds the SK sid and secret only: the api-key option does not need the auth token.
    const hub = await startTemplateHub({ template: 'twilio', authOption: 'api-key', origins: { 'https://api.twilio.com': own.url }, connection: { accountSid: own.accountSid }, secret: key, bindings: { sms: { protocol: 'http', service: 'messages' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      const probes = own.received.filter((r) => r.method === 'GET' && r.path === `/2010-04-01/Accounts/${own.accountSid}/Messages.json`);
      expect(probes.length).toBeGreaterThan(0);
      expect(probes[0].query.get('PageSize')).toBe('1');
      expect(basicOf(probes[0])).toBe(`${own.apiKeySid}:${own.apiKeySecret}`);
      own.revoke('apiKey');
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(JSON.stringify(failed)).not.toContain(own.apiKeySecret);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
