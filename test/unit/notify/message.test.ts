import { describe, it, expect } from 'vitest';
import { renderMessage, alertLink, SMS_MAX, TEXT_MAX } from '../../../server/notify/message.ts';
import type { Alert } from '../../../server/observe/alerts/types.ts';

const alert: Alert = {
  id: 'provider-down:openai-main', kind: 'provider-down', severity: 'critical', subject: 'openai-main',
  title: 'openai-main is down', detail: '3 probes failed: 503 Service Unavailable', state: 'firing',
  firedAt: Date.UTC(2026, 0, 2, 3, 4, 5), lastSeenAt: Date.UTC(2026, 0, 2, 3, 9, 0), count: 2, channels: ['oncall'], evidence: { probes: 3, lastStatus: 503 },
};

describe('notification message', () => {
  it('writes the title, state, severity, subject, detail, evidence and the console link', () => {
    const m = renderMessage({ alert, transition: 'firing' }, 'https://sil.example.test/');
    expect(m.subject).toBe('[sil] FIRING critical: openai-main is down');
    expect(m.text).toBe([
      'openai-main is down', '',
      'State: firing (critical) since 2026-01-02T03:04:05Z',
      'Subject: openai-main',
      'Fired 2 times', '',
      '3 probes failed: 503 Service Unavailable', '',
      'probes: 3', 'lastStatus: 503', '',
      'https://sil.example.test/alerts?alert=provider-down%3Aopenai-main', '',
      'Alert provider-down:openai-main',
    ].join('\n'));
    expect(m.short).toBe('[sil] FIRING critical: openai-main is down — 3 probes failed: 503 Service Unavailable https://sil.example.test/alerts?alert=provider-down%3Aopenai-main');
  });

  it('says when it resolved, and carries no link without a console URL', () => {
    const m = renderMessage({ alert: { ...alert, state: 'resolved', resolvedAt: Date.UTC(2026, 0, 2, 4, 0, 0) }, transition: 'resolved' });
    expect(m.subject).toBe('[sil] RESOLVED: openai-main is down');
    expect(m.text).toContain('State: resolved at 2026-01-02T04:00:00Z (fired 2026-01-02T03:04:05Z)');
    expect(m.text).not.toContain('http');
    expect(alertLink(undefined, 'x')).toBeUndefined();
  });

  it('keeps an SMS within two segments and a long text within Telegram\'s limit, subject on one line', () => {
    const long = { ...alert, title: 'line one\nline two', detail: 'x'.repeat(10_000) };
    const m = renderMessage({ alert: long, transition: 'firing' }, 'https://sil.example.test');
    expect(m.short.length).toBeLessThanOrEqual(SMS_MAX);
    expect(m.short).toMatch(/… https:\/\/sil\.example\.test\/alerts\?alert=/);
    expect(m.text.length).toBeLessThanOrEqual(TEXT_MAX);
    expect(m.subject).toBe('[sil] FIRING critical: line one line two');
  });
});
