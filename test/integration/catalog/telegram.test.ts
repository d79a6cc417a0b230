// The telegram catalog template against a mock of the Bot API (test/mocks/providers/telegram.ts):
// the bot token in the path (/bot<token>/<method>), {ok:false, error_code, description} errors,
// the pass-through door, the getMe health check — and the token in no log line, answer or error.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { renderForTemplate, sendRendered } from '../../helpers/catalog/render.ts';
import { startTemplateHub, type TemplateHub } from '../../helpers/catalog/template-hub.ts';
import { freePort } from '../../helpers/free-port.ts';
import { startTelegramMock, type TelegramMock } from '../../mocks/providers/telegram.ts';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const HELLO = JSON.stringify({ chat_id: 123456789, text: 'Build 42 passed' });

describe('telegram template', () => {
  let mock: TelegramMock;
  const origins = () => ({ 'https://api.telegram.org': mock.url });

  beforeAll(async () => {
    mock = await startTelegramMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('auth contract: the token is in the path (/bot<token>/sendMessage), no auth header; a wrong token gets 401 {ok:false, error_code:401}', async () => {
    const req = await renderForTemplate({ template: 'telegram', service: 'send-message', secret: { botToken: mock.botToken }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: HELLO });
    expect(req.url.pathname).toBe(`/bot${mock.botToken}/sendMessage`);
    const res = await sendRendered(req);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, result: { message_id: mock.sent.at(-1)!.messageId, chat: { id: 123456789 }, text: 'Build 42 passed' } });
    expect(mock.received.at(-1)!.headers.authorization).toBeUndefined();

    const wrong = await sendRendered(await renderForTemplate({ template: 'telegram', service: 'send-message', secret: { botToken: '7012345678:AAwrongwrongwrongwrongwrongwrongwro' }, origins: origins(), method: 'POST', headers: JSON_TYPE, body: HELLO }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  describe('through the hub', () => {
    let hub: TemplateHub;
    beforeAll(async () => {
      hub = await startTemplateHub({
        template: 'telegram', origins: origins(), secret: { botToken: mock.botToken },
        bindings: { notify: { protocol: 'http', service: 'send-message' }, bot: { protocol: 'http', service: 'api' } },
      });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('via proxy: POST /bind/notify sends the message to /bot<token>/sendMessage; the token is in no log line', async () => {
      const before = mock.received.length;
      const res = await hub.door('/bind/notify', { method: 'POST', headers: JSON_TYPE, body: HELLO });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ ok: true, result: { text: 'Build 42 passed', from: { is_bot: true } } });
      const posts = mock.received.slice(before).filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual([`/bot${mock.botToken}/sendMessage`]);
      expect(JSON.parse(posts[0].body.toString())).toEqual(JSON.parse(HELLO));
      expect(text).not.toContain(mock.botToken);
      expect(hub.logs.join('\n')).not.toContain(mock.botToken);
    });

    it('via proxy: a Bot API error passes through /bind/bot/sendMessage as {ok:false, error_code, description} without the token', async () => {
      const res = await hub.door('/bind/bot/sendMessage', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ chat_id: 42, text: 'hi' }) });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat not found' });
      expect(text).not.toContain(mock.botToken);
      expect(hub.logs.join('\n')).not.toContain(mock.botToken);
    });

    it('via proxy: flood control (429) passes through with parameters.retry_after', async () => {
      mock.retryAfter = 3;
      try {
        const res = await hub.door('/bind/bot/getMe');
        expect(res.status).toBe(429);
        expect(await res.json()).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
      } finally {
        mock.retryAfter = 0;
      }
    });
  });

  it('via proxy: when the Bot API cannot be reached, neither the error answer nor the logs nor the probe show the token', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const token = '7099999999:AAHsecretsecretsecretsecretsecret99';
    const hub = await startTemplateHub({ template: 'telegram', origins: { 'https://api.telegram.org': closed }, secret: { botToken: token }, bindings: { notify: { protocol: 'http', service: 'send-message' } } });
    try {
      const res = await hub.door('/bind/notify', { method: 'POST', headers: JSON_TYPE, body: HELLO });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const probe = await hub.healthProbe();
      expect(probe.ok).toBe(false);
      const everything = [await res.text(), JSON.stringify([...res.headers]), JSON.stringify(probe), ...hub.logs].join('\n');
      expect(everything).not.toContain(token);
      expect(everything).not.toContain('AAHsecret');
    } finally {
      await hub.stop();
    }
  });

  it('health check: GET /bot<token>/getMe ({ok:true}) is ok; fails (401) once the token is revoked, and the result holds no token', async () => {
    const own = await startTelegramMock({ botToken: '7055555555:AAHhealthhealthhealthhealthhealth55' });
    const hub = await startTemplateHub({ template: 'telegram', origins: { 'https://api.telegram.org': own.url }, secret: { botToken: own.botToken }, bindings: { notify: { protocol: 'http', service: 'send-message' } } });
    try {
      expect(await hub.healthProbe()).toMatchObject({ ok: true, status: 200 });
      expect(own.received.some((r) => r.method === 'GET' && r.path === `/bot${own.botToken}/getMe`)).toBe(true);
      own.revoke();
      const failed = await hub.healthProbe();
      expect(failed).toMatchObject({ ok: false, status: 401 });
      expect([JSON.stringify(failed), ...hub.logs].join('\n')).not.toContain(own.botToken);
    } finally {
      await hub.stop();
      await own.close();
    }
  });
});
