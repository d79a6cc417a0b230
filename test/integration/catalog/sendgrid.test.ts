// The sendgrid catalog template against a mock of SendGrid's v3 API (test/mocks/providers/sendgrid.ts):
// Bearer API key, POST /v3/mail/send answering 202, the {errors:[{message,field,help}]} shape,
// X-RateLimit-* headers, the pass-through door and the /v3/scopes health check.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { startSendgridMock, type SendgridMock } from '../../mocks/providers/sendgrid.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const MAIL = JSON.stringify({
  personalizations: [{ to: [{ email: 'ada@example.com' }] }],
  from: { email: 'noreply@example.com' },
  subject: 'Welcome',
  content: [{ type: 'text/plain', value: 'Hello Ada' }],
});

describe('sendgrid template', () => {
  let mock: SendgridMock;
  const origins = () => ({ 'https://api.sendgrid.com': mock.url });

  beforeAll(async () => {
    mock = await startSendgridMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: Authorization: Bearer <API key> on POST /v3/mail/send (202); a wrong key gets 401 {errors:[{message,field,help}]}', async () => {
    const req = await renderForTemplate({ template: 'sendgrid', service: 'mail-send', secret: { apiKey: mock.apiKey }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: MAIL });
    expect(req.url.pathname).toBe('/v3/mail/send');
    const res = await sendRendered(req);
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(mock.sent.map((m) => m.messageId)).toContain(res.headers.get('x-message-id'));
    expect(mock.received.at(-1)!.headers.authorization).toBe(`Bearer ${mock.apiKey}`);

    const wrongKey = 'SG.zzzzzzzzzzzzzzzzzzzzzz.' + 'z'.repeat(43);
    const wrong = await sendRendered(await renderForTemplate({ template: 'sendgrid', service: 'mail-send', secret: { apiKey: wrongKey }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: MAIL }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }] });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'sendgrid', origins: origins(), secret: { apiKey: mock.apiKey },
        bindings: { mail: { protocol: 'http', service: 'mail-send' }, sendgrid: { protocol: 'http', service: 'api' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/mail sends the mail with the Bearer key and answers 202 with X-RateLimit-* headers', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/mail', { method: 'POST', headers: JSON_TYPE, body: MAIL });
      expect(res.status).toBe(202);
      const sends = mock.received.slice(before).filter((r) => r.path === '/v3/mail/send');
      expect(sends).toHaveLength(1);
      expect(sends[0].headers.authorization).toBe(`Bearer ${mock.apiKey}`);
      expect(JSON.parse(sends[0].body.toString())).toEqual(JSON.parse(MAIL));
      expect(mock.sent.at(-1)).toMatchObject({ to: ['ada@example.com'], subject: 'Welcome', messageId: res.headers.get('x-message-id') });
      expect(res.headers.get('x-ratelimit-limit')).toBe(String(mock.limit));
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(mock.limit);
      expect(res.headers.get('x-ratelimit-reset')).toBe(String(mock.resetAt));
    });

    it('via proxy: a validation error passes through /bind/sendgrid/mail/send in SendGrid\'s error shape', async () => {
      const res = await hub.door('/bind/sendgrid/mail/send', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ from: { email: 'a@example.com' } }) });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { message: string; field: string; help: string }[] };
      expect(body.errors[0]).toMatchObject({ field: 'personalizations' });
      expect(body.errors[0].help).toMatch(/^http/);
    });

    it('via proxy: 429 with X-RateLimit-Remaining: 0 once the window is spent', async () => {
      const saved = mock.remaining;
      mock.remaining = 0;
      try {
        const res = await hub.door('/bind/sendgrid/scopes');
        expect(res.status).toBe(429);
        expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(res.headers.get('x-ratelimit-reset')).toBe(String(mock.resetAt));
        expect(await res.json()).toEqual({ errors: [{ message: 'too many requests', field: null, help: null }] });
      } finally {
        mock.remaining = saved;
      }
    });
  });

  it('health check: GET /v3/scopes is ok; fails (401) once the key is revoked', async () => {
    const own = await startSendgridMock();
    const hub = await startTemplateHub({ template: 'sendgrid', origins: { 'https://api.sendgrid.com': own.url }, secret: { apiKey: own.apiKey }, bindings: { mail: { protocol: 'http', service: 'mail-send' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.method === 'GET' && r.path === '/v3/scopes' && r.headers.authorization === `Bearer ${own.apiKey}`)).toBe(true);
      own.revoke();
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect(JSON.stringify(failed)).not.toContain(own.apiKey);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
