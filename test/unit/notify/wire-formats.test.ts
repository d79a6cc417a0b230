// Each provider's send request as its API reference documents it: the endpoint under the
// catalog template's base URL, the headers and the exact body.
import { describe, it, expect } from 'vitest';
import { projectCatalog } from '../../../server/config/catalog.ts';
import { answerVerdict, KIND_OF_TEMPLATE, recipientsOf, renderSend, SEND_SERVICE, sendEndpoint, MAX_RECIPIENTS, type ProviderKind } from '../../../server/notify/wire-formats.ts';
import type { NotificationMessage } from '../../../server/notify/message.ts';

const message: NotificationMessage = { subject: '[sil] FIRING critical: openai-main is down', text: 'openai-main is down\n\nState: firing', short: '[sil] FIRING critical: openai-main is down' };

describe('notification wire formats', () => {
  it('sends to each template\'s documented endpoint, through its send service or the pass-through api', () => {
    const { catalog } = projectCatalog();
    const documented: Record<ProviderKind, [string, string]> = {
      sendgrid: ['sendgrid', 'https://api.sendgrid.com/v3/mail/send'],
      mandrill: ['mailchimp-transactional', 'https://mandrillapp.com/api/1.0/messages/send'],
      twilio: ['twilio', 'https://api.twilio.com/2010-04-01/Accounts/${connection.accountSid}/Messages.json'],
      messagebird: ['messagebird', 'https://rest.messagebird.com/messages'],
      telegram: ['telegram', 'https://api.telegram.org/bot${secret.botToken}/sendMessage'],
    };
    for (const [kind, [template, url]] of Object.entries(documented) as [ProviderKind, [string, string]][]) {
      const t = catalog.get(template)!;
      expect(KIND_OF_TEMPLATE[template]).toBe(kind);
      const service = t.services.find((s) => s.id === SEND_SERVICE[kind])!;
      expect(`${t.baseUrl}${service.path}`).toBe(url);
      const api = t.services.find((s) => s.id === 'api')!;
      expect(api.path).toBe('/');
      const viaApi = `${t.baseUrl}${sendEndpoint(kind, { accountSid: '${connection.accountSid}' })}`;
      expect(viaApi.replace('%24%7Bconnection.accountSid%7D', '${connection.accountSid}')).toBe(url);
    }
  });

  it('SendGrid: v3 mail/send JSON with personalizations, from, subject and a text/plain content', () => {
    const [r, ...more] = renderSend('sendgrid', message, ['oncall@example.test', 'cto@example.test'], 'sil@example.test');
    expect(more).toEqual([]);
    expect(r.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(r.body)).toEqual({
      personalizations: [{ to: [{ email: 'oncall@example.test' }, { email: 'cto@example.test' }] }],
      from: { email: 'sil@example.test' },
      subject: message.subject,
      content: [{ type: 'text/plain', value: message.text }],
    });
  });

  it('Mandrill: messages/send JSON {message: {subject, text, from_email, to[{email, type}]}}; the key is left to the body auth scheme', () => {
    const [r] = renderSend('mandrill', message, ['oncall@example.test'], 'sil@example.test');
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body).toEqual({ message: { subject: message.subject, text: message.text, from_email: 'sil@example.test', to: [{ email: 'oncall@example.test', type: 'to' }] } });
    expect(body.key).toBeUndefined();
  });

  it('Twilio: one form-encoded To/From/Body per number; a Messaging Service SID goes as MessagingServiceSid', () => {
    const rs = renderSend('twilio', message, ['+15551230001', '+15551230002'], '+15550009999');
    expect(rs).toHaveLength(2);
    expect(rs[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(rs[0].body).toBe(`To=%2B15551230001&From=%2B15550009999&Body=${new URLSearchParams({ b: message.short }).toString().slice(2)}`);
    expect(Object.fromEntries(new URLSearchParams(rs[1].body))).toEqual({ To: '+15551230002', From: '+15550009999', Body: message.short });
    const [viaService] = renderSend('twilio', message, ['+15551230001'], 'MG0123456789abcdef0123456789abcdef');
    expect(Object.fromEntries(new URLSearchParams(viaService.body))).toEqual({ To: '+15551230001', MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef', Body: message.short });
  });

  it('MessageBird: messages JSON {originator, recipients, body} for all numbers at once', () => {
    const [r, ...more] = renderSend('messagebird', message, ['+15551230001', '+15551230002'], 'sil');
    expect(more).toEqual([]);
    expect(JSON.parse(r.body)).toEqual({ originator: 'sil', recipients: ['+15551230001', '+15551230002'], body: message.short });
  });

  it('Telegram: sendMessage JSON {chat_id, text} per chat, numeric ids as numbers, @channel names as strings', () => {
    const rs = renderSend('telegram', message, ['-1001234567890', '@sil_alerts'], undefined);
    expect(rs.map((r) => JSON.parse(r.body))).toEqual([
      { chat_id: -1001234567890, text: message.text, disable_web_page_preview: true },
      { chat_id: '@sil_alerts', text: message.text, disable_web_page_preview: true },
    ]);
  });

  it('reads recipients as a comma-separated list of at most 10', () => {
    expect(recipientsOf(' a@x.test, ,b@x.test ')).toEqual(['a@x.test', 'b@x.test']);
    expect(recipientsOf(Array.from({ length: 15 }, (_, i) => `${i}`).join(','))).toHaveLength(MAX_RECIPIENTS);
    expect(recipientsOf(undefined)).toEqual([]);
  });

  it('judges answers the way each provider reports errors', () => {
    expect(answerVerdict('sendgrid', 202, '')).toEqual({ ok: true });
    expect(answerVerdict('sendgrid', 403, JSON.stringify({ errors: [{ message: 'The from address does not match a verified Sender Identity.' }] }))).toEqual({ ok: false, reason: 'sendgrid answered 403: The from address does not match a verified Sender Identity.' });
    expect(answerVerdict('twilio', 201, '{"sid":"SM1"}')).toEqual({ ok: true });
    expect(answerVerdict('twilio', 400, JSON.stringify({ code: 21211, message: "The 'To' number is not a valid phone number." }))).toMatchObject({ ok: false, reason: "twilio answered 400: The 'To' number is not a valid phone number." });
    expect(answerVerdict('messagebird', 422, JSON.stringify({ errors: [{ code: 9, description: 'no (correct) recipients found' }] }))).toMatchObject({ reason: 'messagebird answered 422: no (correct) recipients found' });
    expect(answerVerdict('telegram', 200, '{"ok":true,"result":{}}')).toEqual({ ok: true });
    expect(answerVerdict('telegram', 200, '{"ok":false,"description":"Bad Request: chat not found"}')).toEqual({ ok: false, reason: 'telegram answered 200: Bad Request: chat not found' });
    expect(answerVerdict('mandrill', 200, JSON.stringify([{ email: 'a@x.test', status: 'sent' }]))).toEqual({ ok: true });
    expect(answerVerdict('mandrill', 200, JSON.stringify([{ email: 'a@x.test', status: 'rejected', reject_reason: 'hard-bounce' }]))).toEqual({ ok: false, reason: 'mandrill refused a@x.test (rejected: hard-bounce)' });
    expect(answerVerdict('mandrill', 500, JSON.stringify({ status: 'error', code: -1, name: 'Invalid_Key', message: 'Invalid API key' }))).toMatchObject({ reason: 'mandrill answered 500: Invalid API key' });
    expect(answerVerdict('sendgrid', 502, '<html>bad gateway</html>')).toEqual({ ok: false, reason: 'sendgrid answered 502' });
  });
});
