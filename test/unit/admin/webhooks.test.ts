// The webhooks screen's pure logic (admin/src/lib/webhooks.ts): the event choices match the hub's
// event types, the form to and from a subscription (other fields kept, the API's state and
// signing dropped, accepted by the schema's validator), headers and retry schedule as text, the
// endpoint's status, a delivery's last outcome in English and Arabic, grace hours; an inbound
// webhook's verdict and the URL providers are given.
import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES, durationText, endpointStatus, eventChoices, formProblems, hookUrl, inboundVerdict, lastOutcome, parseGraceHours, parseHeaders, parseSchedule, prettyBody,
  webhookFormOf, webhookOf, type Translate, type WebhookItem,
} from '../../../admin/src/lib/webhooks.ts';
import { EVENT_TYPES as HUB_EVENT_TYPES } from '../../../server/events/hub-events.ts';
import en from '../../../admin/src/i18n/webhooks.en.ts';
import ar from '../../../admin/src/i18n/webhooks.ar.ts';
import { webhook as validate } from '../../../schemas/validators.gen.js';

const translate = (dict: Record<string, string>): Translate => (key, vars) =>
  (dict[key] ?? key).replace(/\{(\w+)\}/g, (m, n: string) => (vars && n in vars ? String(vars[n]) : m));

const full: WebhookItem = {
  name: 'ops', description: 'on-call bot', url: 'https://hooks.example.com/sil', enabled: true, environment: 'prod',
  events: ['alert.*', 'provider.status'], headers: { 'X-Team': 'platform' }, retry: { scheduleSeconds: [5, 300, 7200], disableAfterFailures: 50 },
  state: { disabledByHub: false }, signing: { keys: [{ id: 'primary', status: 'active' }] },
};

describe('event choices', () => {
  it('are the hub\'s event types, with * and a prefix.* before each group', () => {
    expect([...EVENT_TYPES]).toEqual([...HUB_EVENT_TYPES]);
    const values = eventChoices().map((c) => c.value);
    expect(values[0]).toBe('*');
    for (const type of HUB_EVENT_TYPES) expect(values).toContain(type);
    expect(values.indexOf('config.*')).toBe(values.indexOf('config.applied') - 1);
    expect(eventChoices().filter((c) => c.wildcard).map((c) => c.value)).toEqual(['*', 'alert.*', 'provider.*', 'key.*', 'config.*', 'budget.*']);
  });
});

describe('the form', () => {
  it('round-trips a full subscription, dropping the API\'s state and signing', () => {
    const form = webhookFormOf(full);
    expect(form).toMatchObject({ headers: 'X-Team: platform', schedule: '5s, 5m, 2h', disableAfterFailures: '50', environment: 'prod', enabled: true });
    const doc = webhookOf(form, full);
    const { state: _s, signing: _g, ...file } = full;
    expect(doc).toEqual(file);
    expect(validate(doc)).toBe(true);
  });

  it('writes only what was given for a new one, and enabled: false when switched off', () => {
    const form = { ...webhookFormOf(null), name: 'rx', url: 'http://127.0.0.1:9/x', events: ['config.*'] };
    expect(formProblems(form)).toEqual({});
    expect(webhookOf(form)).toEqual({ name: 'rx', url: 'http://127.0.0.1:9/x', events: ['config.*'] });
    expect(webhookOf({ ...form, enabled: false, schedule: '1h' })).toEqual({ name: 'rx', url: 'http://127.0.0.1:9/x', events: ['config.*'], enabled: false, retry: { scheduleSeconds: [3600] } });
    expect(validate(webhookOf({ ...form, schedule: '1h', headers: 'A: b' }))).toBe(true);
  });

  it('finds what it can before sending', () => {
    const bad = { ...webhookFormOf(null), name: 'Bad Name', url: 'ftp://x', events: [], headers: 'webhook-id: x', schedule: '5 parsecs', disableAfterFailures: '0' };
    expect(Object.keys(formProblems(bad)).sort()).toEqual(['disableAfterFailures', 'events', 'headers', 'name', 'schedule', 'url']);
  });

  it('reads headers and schedules as text', () => {
    expect(parseHeaders('X-A: 1\n\n  X-B:two words  ')).toEqual({ 'X-A': '1', 'X-B': 'two words' });
    expect(parseHeaders('Content-Type: text/plain')).toBeNull();
    expect(parseHeaders('no colon')).toBeNull();
    expect(parseSchedule('5s, 5m 30m،2h 1d 90')).toEqual([5, 300, 1800, 7200, 86_400, 90]);
    expect(parseSchedule('8d')).toBeNull();
    expect(parseSchedule('')).toEqual([]);
    expect([5, 300, 7200, 90, 86_400].map(durationText)).toEqual(['5s', '5m', '2h', '90s', '1d']);
  });

  it('takes grace hours from 0 to 720, empty for 24', () => {
    expect([parseGraceHours(''), parseGraceHours('0'), parseGraceHours('720'), parseGraceHours('721'), parseGraceHours('1.5')]).toEqual([24, 0, 720, null, null]);
  });
});

describe('endpoint status and deliveries', () => {
  it('says whether the hub disabled it, the file switched it off, or it is failing', () => {
    expect(endpointStatus(full)).toEqual({ status: 'active' });
    expect(endpointStatus({ ...full, enabled: false })).toEqual({ status: 'off' });
    expect(endpointStatus({ ...full, state: { disabledByHub: false, failingSince: '2026-01-01T00:00:00.000Z' } })).toEqual({ status: 'failing', since: '2026-01-01T00:00:00.000Z' });
    expect(endpointStatus({ ...full, enabled: false, state: { disabledByHub: true, disabledAt: '2026-01-06T00:00:00.000Z', disabledReason: '410 Gone' } }))
      .toEqual({ status: 'disabled-hub', since: '2026-01-06T00:00:00.000Z', reason: '410 Gone' });
  });

  it('puts the last attempt in words in both languages', () => {
    const tEn = translate(en);
    const tAr = translate(ar);
    expect(lastOutcome({ attempts: 0, lastStatus: null }, tEn)).toBe('not attempted yet');
    expect(lastOutcome({ attempts: 2, lastStatus: 500, lastError: 'HTTP 500' }, tEn)).toBe('HTTP 500');
    expect(lastOutcome({ attempts: 2, lastStatus: 302, lastError: 'redirect to /x' }, tEn)).toBe('HTTP 302 · redirect to /x');
    expect(lastOutcome({ attempts: 1, lastStatus: null, lastError: 'connect ECONNREFUSED' }, tAr)).toBe('لا رد · connect ECONNREFUSED');
    expect(prettyBody('{"type":"config.applied"}')).toBe('{\n  "type": "config.applied"\n}');
    expect(prettyBody('not json')).toBe('not json');
  });

  it('puts an inbound webhook\'s verdict in words and gives the URL for providers', () => {
    expect(inboundVerdict({ verdict: 'accepted' }, translate(en))).toBe('Accepted');
    expect(inboundVerdict({ verdict: 'refused', code: 'SIL_HOOK_SIGNATURE' }, translate(en))).toBe('Refused · SIL_HOOK_SIGNATURE');
    expect(inboundVerdict({ verdict: 'refused', code: 'SIL_HOOK_REPLAY' }, translate(ar))).toBe('مرفوض · SIL_HOOK_REPLAY');
    expect(inboundVerdict({ verdict: 'refused' }, translate(en))).toBe('Refused');
    expect(hookUrl('https://hub.example.com/', 'stripe-main')).toBe('https://hub.example.com/hooks/stripe-main');
    expect(hookUrl('http://127.0.0.1:8080', '<provider-id>')).toBe('http://127.0.0.1:8080/hooks/<provider-id>');
  });

  it('has the same keys in English and Arabic', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });
});
