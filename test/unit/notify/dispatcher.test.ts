// The dispatcher with a fake internal caller: which channels send, what goes through the binding,
// and how failures, duplicates, silences and the no-loop rule are reported.
import { describe, it, expect } from 'vitest';
import { BindingChannelDispatcher } from '../../../server/notify/dispatcher.ts';
import { planChannel } from '../../../server/notify/channel-plan.ts';
import type { InternalAnswer, InternalRequest } from '../../../server/proxy/internal-call.ts';
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import type { Alert, AlertNotification } from '../../../server/observe/alerts/types.ts';

const provider = (id: string, template: string, connection: Record<string, string> = {}) => [id, { id, template, definition: { id: template }, connection, enabled: true }] as const;
const binding = (name: string, targets: { provider: string; service: string }[], enabled = true) => [name, { name, environment: 'prod', enabled, targets }] as const;

function snapshot(): ConfigSnapshot {
  return {
    settings: {
      notifications: {
        consoleUrl: 'https://sil.example.test',
        channels: [
          { name: 'console', type: 'console' },
          { name: 'hooks', type: 'webhook' },
          { name: 'mail', type: 'email', binding: 'mail', to: 'oncall@example.test, cto@example.test', from: 'sil@example.test' },
          { name: 'sms', type: 'sms', binding: 'sms', to: '+15551230001,+15551230002', from: '+15550009999' },
          { name: 'tg', type: 'telegram', binding: 'tg-api', to: '-100123' },
          { name: 'wrong', type: 'email', binding: 'sms', to: 'a@x.test', from: 'b@x.test' },
          { name: 'nofrom', type: 'email', binding: 'mail', to: 'a@x.test' },
          { name: 'mixed', type: 'email', binding: 'mixed', to: 'a@x.test', from: 'b@x.test' },
        ],
      },
    },
    providers: new Map([provider('sg', 'sendgrid'), provider('md', 'mailchimp-transactional'), provider('tw', 'twilio', { accountSid: 'AC1' }), provider('tg', 'telegram'), provider('oa', 'openai')]),
    bindings: new Map([
      binding('mail', [{ provider: 'sg', service: 'mail-send' }, { provider: 'sg', service: 'mail-send' }]),
      binding('sms', [{ provider: 'tw', service: 'messages' }]),
      binding('tg-api', [{ provider: 'tg', service: 'api' }]),
      binding('mixed', [{ provider: 'sg', service: 'mail-send' }, { provider: 'md', service: 'messages-send' }]),
    ]),
  } as unknown as ConfigSnapshot;
}

const alert: Alert = { id: 'provider-down:oa', kind: 'provider-down', severity: 'critical', subject: 'oa', title: 'oa is down', detail: 'probes fail', state: 'firing', firedAt: 1000, lastSeenAt: 1000, count: 1, channels: [] };
const firing: AlertNotification = { alert, transition: 'firing' };

function setup(answer: (r: InternalRequest) => InternalAnswer = () => ({ ok: true, status: 202, headers: {}, body: Buffer.alloc(0), attempts: 1 })) {
  const calls: InternalRequest[] = [];
  const failed: string[] = [];
  const recovered: string[] = [];
  let now = 10_000;
  const d = new BindingChannelDispatcher({
    snapshot,
    call: async (r) => {
      calls.push(r);
      return answer(r);
    },
    onChannelFailed: (c, e) => failed.push(`${c}: ${e}`),
    onChannelRecovered: (c) => recovered.push(c),
    now: () => now,
  });
  return { d, calls, failed, recovered, tick: (ms: number) => (now += ms) };
}

describe('channel dispatcher', () => {
  it('treats console and webhook channels as delivered and sends the others through their binding', async () => {
    const { d, calls, failed } = setup((r) => ({ ok: true, status: r.binding === 'sms' ? 201 : r.binding === 'tg-api' ? 200 : 202, headers: {}, body: Buffer.from(r.binding === 'tg-api' ? '{"ok":true}' : '{}'), attempts: 1 }));
    const results = await d.dispatch(firing, ['console', 'hooks', 'mail', 'sms', 'tg', 'mail']);
    expect(results).toEqual(['console', 'hooks', 'mail', 'sms', 'tg'].map((channel) => ({ channel, ok: true })));
    expect(failed).toEqual([]);
    // Channels go in parallel, the recipients of one channel one after the other.
    expect(calls.map((c) => `${c.method} ${c.binding} ${c.subPath || '(service path)'}`).sort()).toEqual(['POST mail (service path)', 'POST sms (service path)', 'POST sms (service path)', 'POST tg-api /sendMessage']);
    const sms = calls.filter((c) => c.binding === 'sms');
    expect(sms.map((c) => new URLSearchParams(String(c.body)).get('To'))).toEqual(['+15551230001', '+15551230002']);
    const mail = JSON.parse(String(calls[0].body));
    expect(mail.personalizations[0].to).toEqual([{ email: 'oncall@example.test' }, { email: 'cto@example.test' }]);
    expect(mail.content[0].value).toContain('https://sil.example.test/alerts?alert=provider-down%3Aoa');
    // Retry-safe for the binding's failover, and the same for the same transition.
    expect(calls[0].headers['idempotency-key']).toMatch(/^sil-notify-[0-9a-f]{32}$/);
    expect(sms[0].headers['idempotency-key']).not.toBe(sms[1].headers['idempotency-key']);
  });

  it('reports a failed send once, with the provider\'s reason, and does not retry; a later success recovers the channel', async () => {
    let fail = true;
    const { d, calls, failed, recovered } = setup(() => (fail ? { ok: false, code: 'SIL_PROXY_UPSTREAM', error: 'every attempt failed (2 sent): sg: 503; sg: 503', attempts: 2 } : { ok: true, status: 202, headers: {}, body: Buffer.alloc(0), attempts: 1 }));
    expect(await d.dispatch(firing, ['mail'])).toEqual([{ channel: 'mail', ok: false, error: 'binding "mail": every attempt failed (2 sent): sg: 503; sg: 503' }]);
    expect(calls).toHaveLength(1);
    expect(failed).toEqual(['mail: binding "mail": every attempt failed (2 sent): sg: 503; sg: 503']);
    fail = false;
    expect(await d.dispatch({ alert: { ...alert, state: 'resolved', resolvedAt: 2000 }, transition: 'resolved' }, ['mail'])).toEqual([{ channel: 'mail', ok: true }]);
    expect(recovered).toEqual(['mail']);
  });

  it('fails a channel on the provider\'s own refusal (Telegram ok:false under HTTP 200)', async () => {
    const { d, failed } = setup(() => ({ ok: true, status: 200, headers: {}, body: Buffer.from('{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}'), attempts: 1 }));
    expect(await d.dispatch(firing, ['tg'])).toEqual([{ channel: 'tg', ok: false, error: 'telegram answered 200: Bad Request: chat not found (binding "tg-api", 1 attempt)' }]);
    expect(failed).toHaveLength(1);
  });

  it('never sends a channel-failed alert through a channel, nor a silenced one, nor the same transition twice', async () => {
    const { d, calls, failed } = setup();
    const loop: AlertNotification = { alert: { ...alert, id: 'channel-failed:mail', kind: 'channel-failed' }, transition: 'firing' };
    expect(await d.dispatch(loop, ['mail', 'console'])).toEqual([{ channel: 'mail', ok: true, skipped: 'no-loop' }, { channel: 'console', ok: true }]);
    expect(await d.dispatch({ alert: { ...alert, silencedUntil: 20_000 }, transition: 'firing' }, ['mail'])).toEqual([{ channel: 'mail', ok: true, skipped: 'silenced' }]);
    expect(await d.dispatch(firing, ['mail'])).toEqual([{ channel: 'mail', ok: true }]);
    expect(await d.dispatch(firing, ['mail'])).toEqual([{ channel: 'mail', ok: true, skipped: 'duplicate' }]);
    expect(calls).toHaveLength(1);
    expect(failed).toEqual([]);
  });

  it('caps a flood and says in the next message how many were held back', async () => {
    const { d, calls, tick } = setup();
    for (let i = 0; i < 12; i++) await d.dispatch({ alert: { ...alert, id: `a${i}` }, transition: 'firing' }, ['mail']);
    expect(calls).toHaveLength(10);
    tick(15 * 60_000);
    await d.dispatch({ alert: { ...alert, id: 'later' }, transition: 'firing' }, ['mail']);
    expect(JSON.parse(String(calls[10].body)).content[0].value).toContain('2 more alert notifications were held back on this channel (at most 10 per 15 min)');
  });

  it('explains a channel that cannot send, without calling anything', async () => {
    const { d, calls, failed } = setup();
    const results = await d.dispatch(firing, ['nope', 'wrong', 'nofrom', 'mixed']);
    expect(results.map((r) => r.error)).toEqual([
      'no channel "nope" in sil.yaml notifications.channels',
      'channel "wrong" is an email channel but binding "sms" sends through twilio',
      'channel "nofrom" has no sender (from), which sendgrid requires',
      'binding "mixed" mixes sendgrid/mail-send with mandrill/messages-send; a channel\'s binding must target one provider type and service',
    ]);
    expect(calls).toEqual([]);
    expect(failed).toHaveLength(4);
  });

  it('plans the Twilio pass-through path with the account SID', () => {
    const s = snapshot();
    (s.bindings as Map<string, unknown>).set('tw-api', { name: 'tw-api', environment: 'prod', enabled: true, targets: [{ provider: 'tw', service: 'api' }] });
    (s.settings.notifications!.channels as unknown[]).push({ name: 'tw', type: 'sms', binding: 'tw-api', to: '+1555', from: '+1666' });
    expect(planChannel(s, 'tw')).toMatchObject({ via: 'binding', kind: 'twilio', subPath: '/Accounts/AC1/Messages.json' });
  });
});
