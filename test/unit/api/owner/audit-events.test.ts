// The owner middleware's audit events fit the runtime audit log (server/observe/audit-log.ts).
import { describe, it, expect } from 'vitest';
import type { AuditEvent } from '../../../../server/api/owner/index.ts';
import { sanitizeEvent, type AuditEvent as LogEvent } from '../../../../server/observe/audit-event.ts';

describe('owner audit events', () => {
  it('are assignable to the audit log\'s events and pass its checks', () => {
    const events: AuditEvent[] = [
      { type: 'setup.started', actor: 'anonymous', ip: '127.0.0.1' },
      { type: 'setup.failed', actor: 'anonymous', ip: '127.0.0.1', detail: { reason: 'The setup link has expired.' } },
      { type: 'setup.completed', actor: 'owner', ip: '127.0.0.1' },
      { type: 'login.failed', actor: 'anonymous', ip: '2001:db8::1', detail: { reason: 'code-replayed' } },
      { type: 'login.locked', actor: 'anonymous', ip: '10.0.0.1', detail: { scope: 'client', seconds: 900 } },
      { type: 'login.succeeded', actor: 'owner', ip: '10.0.0.1' },
      { type: 'logout', actor: 'owner', ip: '10.0.0.1' },
      { type: 'session.expired', actor: 'owner', ip: '10.0.0.1', detail: { reason: 'idle' } },
      { type: 'owner.reset', actor: 'system', detail: { by: 'sil owner reset' } },
      { type: 'access.denied', actor: 'anonymous', ip: '192.0.2.7', detail: { reason: 'ip-allowlist', method: 'GET', path: '/api/session' } },
    ];
    const append = (e: LogEvent) => sanitizeEvent(e);
    const audit: (e: AuditEvent) => unknown = append; // compile-time: the log's append takes our events
    for (const e of events) expect(() => audit(e)).not.toThrow();
  });
});
