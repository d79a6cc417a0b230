// Notification channels through a real hub: bindings to mock SendGrid, Mandrill, Twilio and
// Telegram servers on 127.0.0.1 that speak their wire formats; keys from the vault; the binding's
// failover; a channel whose every target fails is reported once and not retried.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startProxyHub, type ProxyHub } from '../../helpers/proxy-hub.ts';
import { startMockUpstream, type MockUpstream, type Received } from '../../helpers/mock-upstream.ts';
import type { Alert, AlertNotification } from '../../../server/observe/alerts/types.ts';

const SG_A = `SG.${'a'.repeat(22)}.${'A'.repeat(43)}`;
const SG_B = `SG.${'b'.repeat(22)}.${'B'.repeat(43)}`;
const MD_KEY = 'md-mandrill-test-key';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TW_TOKEN = 'f'.repeat(32);
const BOT = `123456789:${'T'.repeat(35)}`;

const alert: Alert = { id: 'provider-down:openai-main', kind: 'provider-down', severity: 'critical', subject: 'openai-main', title: 'openai-main is down', detail: 'probes fail with 503', state: 'firing', firedAt: Date.UTC(2026, 0, 2), lastSeenAt: Date.UTC(2026, 0, 2), count: 1, channels: [] };
let seq = 0;
/** A new transition each time (the dispatcher sends one transition once per channel). */
const next = (): AlertNotification => ({ alert: { ...alert, firedAt: alert.firedAt + ++seq }, transition: 'firing' });

const ok202 = () => ({ status: 202 });
const failing = () => ({ status: 503, body: { errors: [{ message: 'service unavailable' }] } });

describe('notification channels through the hub\'s bindings', () => {
  let sgA: MockUpstream;
  let sgB: MockUpstream;
  let md: MockUpstream;
  let tw: MockUpstream;
  let tg: MockUpstream;
  let p: ProxyHub;
  const failed: string[] = [];

  beforeAll(async () => {
    [sgA, sgB, md, tw, tg] = await Promise.all([startMockUpstream(ok202), startMockUpstream(ok202), startMockUpstream(() => ({ status: 200, body: [{ email: 'oncall@example.test', status: 'sent' }] })), startMockUpstream(() => ({ status: 201, body: { sid: 'SM1' } })), startMockUpstream(() => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }))]);
    const provider = (id: string, template: string, baseUrl: string, extra = '') => `id: ${id}\ntemplate: ${template}\nname: ${id}\nenvironment: prod\nconnection:\n  baseUrl: "${baseUrl}"\n${extra}`;
    const binding = (name: string, targets: [string, string][]) =>
      `name: ${name}\nenvironment: prod\nprotocol: http\ntargets:\n${targets.map(([pr, s]) => `  - { provider: ${pr}, service: ${s} }`).join('\n')}\nfailover:\n  on: [connect-error, timeout, "5xx"]\n  maxAttempts: 2\n  timeoutMs: 3000\n`;
    p = await startProxyHub({
      'sil.yaml': [
        'version: 1',
        'environments: [prod]',
        'notifications:',
        '  consoleUrl: https://sil.example.test',
        '  channels:',
        '    - { name: console, type: console }',
        '    - { name: hooks, type: webhook }',
        '    - { name: mail, type: email, binding: mail, to: "oncall@example.test, cto@example.test", from: sil@example.test }',
        '    - { name: mandrill, type: email, binding: mandrill, to: oncall@example.test, from: sil@example.test }',
        `    - { name: sms, type: sms, binding: sms, to: "+15551230001", from: "+15550009999" }`,
        '    - { name: tg, type: telegram, binding: tg, to: "-1001234567890" }',
        '',
      ].join('\n'),
      'providers/sg-a.yaml': provider('sg-a', 'sendgrid', `${sgA.url}/v3`),
      'providers/sg-b.yaml': provider('sg-b', 'sendgrid', `${sgB.url}/v3`),
      'providers/md.yaml': provider('md', 'mailchimp-transactional', `${md.url}/api/1.0`),
      'providers/tw.yaml': provider('tw', 'twilio', `${tw.url}/2010-04-01`, `  accountSid: ${SID}\n`),
      'providers/tg.yaml': provider('tg', 'telegram', `${tg.url}/bot\${secret.botToken}`),
      'bindings/mail.yaml': binding('mail', [['sg-a', 'mail-send'], ['sg-b', 'mail-send']]),
      'bindings/mandrill.yaml': binding('mandrill', [['md', 'messages-send']]),
      'bindings/sms.yaml': binding('sms', [['tw', 'messages']]),
      'bindings/tg.yaml': binding('tg', [['tg', 'send-message']]),
    }, { 'sg-a': { apiKey: SG_A }, 'sg-b': { apiKey: SG_B }, md: { apiKey: MD_KEY }, tw: { authToken: TW_TOKEN }, tg: { botToken: BOT } });
    p.hub.notify.setReporter({ channelFailed: (c, e) => failed.push(`${c}: ${e}`), channelRecovered: () => undefined });
  }, 60_000);

  afterAll(async () => {
    await p?.stop();
    await Promise.all([sgA, sgB, md, tw, tg].map((m) => m?.close()));
  });

  beforeEach(() => {
    for (const m of [sgA, sgB, md, tw, tg]) m.received.length = 0;
    sgA.reply(ok202);
    sgB.reply(ok202);
    failed.length = 0;
  });

  it('sends an email through SendGrid with the vault\'s key, as the provider documents it, recorded under sil-notifications', async () => {
    const results = await p.hub.notify.dispatch(next(), ['console', 'hooks', 'mail']);
    expect(results).toEqual([{ channel: 'console', ok: true }, { channel: 'hooks', ok: true }, { channel: 'mail', ok: true }]);
    expect(sgA.received).toHaveLength(1);
    const r: Received = sgA.received[0];
    expect(`${r.method} ${r.url}`).toBe('POST /v3/mail/send');
    expect(r.headers.authorization).toBe(`Bearer ${SG_A}`);
    expect(r.headers['content-type']).toBe('application/json');
    const body = JSON.parse(r.body);
    expect(body.personalizations).toEqual([{ to: [{ email: 'oncall@example.test' }, { email: 'cto@example.test' }] }]);
    expect(body.from).toEqual({ email: 'sil@example.test' });
    expect(body.subject).toBe('[sil] FIRING critical: openai-main is down');
    expect(body.content[0]).toMatchObject({ type: 'text/plain' });
    expect(body.content[0].value).toContain('https://sil.example.test/alerts?alert=provider-down%3Aopenai-main');
    expect(sgB.received).toHaveLength(0);
    const [logged] = p.hub.requestLog.list(1);
    expect(logged).toMatchObject({ client: 'sil-notifications', binding: 'mail', provider: 'sg-a', status: 202, attempts: 1 });
  });

  it('fails over to the binding\'s second target (its own key) when the first answers 5xx', async () => {
    sgA.reply(failing);
    expect(await p.hub.notify.dispatch(next(), ['mail'])).toEqual([{ channel: 'mail', ok: true }]);
    expect(sgA.received).toHaveLength(1);
    expect(sgB.received).toHaveLength(1);
    expect(sgB.received[0].headers.authorization).toBe(`Bearer ${SG_B}`);
    expect(sgB.received[0].body).toBe(sgA.received[0].body);
    expect(failed).toEqual([]);
    expect(p.hub.requestLog.list(1)[0]).toMatchObject({ client: 'sil-notifications', provider: 'sg-b', status: 202, attempts: 2 });
  });

  it('reports a channel whose every target fails once, as ok:false, and sends nothing more', async () => {
    sgA.reply(failing);
    sgB.reply(failing);
    const [result] = await p.hub.notify.dispatch(next(), ['mail']);
    expect(result.ok).toBe(false);
    expect(result.error).toBe('sendgrid answered 503: service unavailable (binding "mail", 2 attempts, last sg-b)');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^mail: /);
    await new Promise((r) => setTimeout(r, 300));
    expect(sgA.received.length + sgB.received.length).toBe(2);
    expect(failed).toHaveLength(1);
    // The channel-failed alert itself never goes through a channel.
    const loop: AlertNotification = { alert: { ...alert, id: 'channel-failed:mail', kind: 'channel-failed', firedAt: Date.now() }, transition: 'firing' };
    expect(await p.hub.notify.dispatch(loop, ['mail'])).toEqual([{ channel: 'mail', ok: true, skipped: 'no-loop' }]);
    expect(sgA.received.length + sgB.received.length).toBe(2);
  });

  it('sends through Mandrill with the key in the JSON body', async () => {
    expect(await p.hub.notify.dispatch(next(), ['mandrill'])).toEqual([{ channel: 'mandrill', ok: true }]);
    const r = md.received[0];
    expect(`${r.method} ${r.url}`).toBe('POST /api/1.0/messages/send');
    expect(r.headers.authorization).toBeUndefined();
    const body = JSON.parse(r.body);
    expect(body.key).toBe(MD_KEY);
    expect(body.message).toMatchObject({ subject: '[sil] FIRING critical: openai-main is down', from_email: 'sil@example.test', to: [{ email: 'oncall@example.test', type: 'to' }] });
  });

  it('sends an SMS through Twilio: form-encoded To/From/Body, Basic auth with the account SID and token', async () => {
    expect(await p.hub.notify.dispatch(next(), ['sms'])).toEqual([{ channel: 'sms', ok: true }]);
    const r = tw.received[0];
    expect(`${r.method} ${r.url}`).toBe(`POST /2010-04-01/Accounts/${SID}/Messages.json`);
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TW_TOKEN}`).toString('base64')}`);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(r.body));
    expect(form).toEqual({ To: '+15551230001', From: '+15550009999', Body: expect.stringMatching(/^\[sil\] FIRING critical: openai-main is down — probes fail with 503 https:\/\/sil\.example\.test\/alerts/) });
  });

  it('sends to Telegram: sendMessage with the bot token in the path, chat_id and text', async () => {
    expect(await p.hub.notify.dispatch(next(), ['tg'])).toEqual([{ channel: 'tg', ok: true }]);
    const r = tg.received[0];
    expect(`${r.method} ${r.url}`).toBe(`POST /bot${BOT}/sendMessage`);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ chat_id: -1001234567890, disable_web_page_preview: true });
    expect(body.text).toMatch(/^openai-main is down\n/);
    // The token never reaches the request log.
    expect(JSON.stringify(p.hub.requestLog.list(5))).not.toContain(BOT);
    // A Telegram refusal under HTTP 200 is a failed channel.
    tg.reply(() => ({ status: 200, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }));
    expect(await p.hub.notify.dispatch(next(), ['tg'])).toEqual([{ channel: 'tg', ok: false, error: 'telegram answered 200: Bad Request: chat not found (binding "tg", 1 attempt, last tg)' }]);
    expect(failed).toEqual(['tg: telegram answered 200: Bad Request: chat not found (binding "tg", 1 attempt, last tg)']);
  });
});
