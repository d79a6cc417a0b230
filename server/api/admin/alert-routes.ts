// /api/alerts: the notification centre's API — the alerts (firing first, then recent), the
// unread count the console's top bar polls, acknowledge, silence until a time, lift a silence.
// Runtime state (data/state/alerts.json), not config: no base commit, no commit made.
import { SilError } from '../../errors.ts';
import type { Handler } from './call.ts';
import type { AdminDeps } from './context.ts';
import type { OpId } from './route-table.ts';
import type { Alert, AlertKind } from '../../observe/alerts/types.ts';

type AlertOps = Extract<OpId, 'alerts.list' | 'alerts.unread' | 'alerts.ack' | 'alerts.silence' | 'alerts.unsilence'>;

const KINDS: readonly AlertKind[] = ['policy', 'provider-down', 'key-rotation-due', 'key-rotation-overdue', 'key-expiring', 'config-rejected', 'budget', 'channel-failed', 'webhook-disabled', 'shared-state-unavailable', 'remote-sync'];
const MAX_SILENCE_MS = 90 * 86_400_000;

function untilOf(v: unknown, now: number): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' && /\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:?\d\d)$/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new SilError('SIL_API_INPUT', '"until" must be epoch milliseconds or an ISO 8601 time with a zone', { hint: 'e.g. {"until": "2026-06-01T18:00:00Z"}' });
  if (t <= now || t > now + MAX_SILENCE_MS) throw new SilError('SIL_API_INPUT', '"until" must be in the future and at most 90 days ahead');
  return t;
}

export function alertHandlers(deps: AdminDeps): Record<AlertOps, Handler> {
  const engine = () => {
    if (!deps.alerts) throw new SilError('SIL_API_NOT_FOUND', 'this hub runs without the alert engine');
    return deps.alerts;
  };
  const found = (a: Alert | undefined, id: string): Alert => {
    if (!a) throw new SilError('SIL_API_NOT_FOUND', `no alert "${id.slice(0, 200)}"`, { hint: 'GET /api/alerts lists the alerts' });
    return a;
  };
  return {
    async 'alerts.list'(call) {
      const { state, kind, limit } = call.query;
      if (state !== undefined && state !== 'firing' && state !== 'resolved') throw new SilError('SIL_API_INPUT', 'state must be firing or resolved');
      if (kind !== undefined && !KINDS.includes(kind as AlertKind)) throw new SilError('SIL_API_INPUT', `kind must be one of ${KINDS.join(', ')}`);
      const n = limit === undefined ? 200 : Number(limit);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new SilError('SIL_API_INPUT', 'limit must be 1 to 1000');
      const now = Date.now();
      if (!deps.alerts) return { body: { at: now, unread: 0, alerts: [], silences: [] } };
      const e = deps.alerts;
      return { body: { at: now, unread: e.unread(), alerts: e.list({ ...(state ? { state: state as Alert['state'] } : {}), ...(kind ? { kind: kind as AlertKind } : {}), limit: n }), silences: e.silences() } };
    },
    async 'alerts.unread'() {
      const now = Date.now();
      if (!deps.alerts) return { body: { at: now, unread: 0, firing: 0, critical: 0 } };
      const firing = deps.alerts.list({ state: 'firing' });
      const unread = firing.filter((a) => a.acknowledgedAt === undefined);
      return { body: { at: now, unread: unread.length, firing: firing.length, critical: unread.filter((a) => a.severity === 'critical').length } };
    },
    async 'alerts.ack'(call) {
      return { body: { alert: found(engine().acknowledge(call.params.id), call.params.id) } };
    },
    async 'alerts.silence'(call) {
      const e = engine();
      const until = untilOf(call.body.until, Date.now());
      const scope = call.body.scope ?? 'alert';
      if (scope !== 'alert' && scope !== 'kind') throw new SilError('SIL_API_INPUT', 'scope must be alert or kind');
      const alert = found(e.silence(call.params.id, until, scope), call.params.id);
      const silence = e.silences().find((s) => (scope === 'kind' ? s.kind === alert.kind && !s.alertId : s.alertId === alert.id));
      return { body: { alert, silence } };
    },
    async 'alerts.unsilence'(call) {
      return { body: { alert: found(engine().unsilence(call.params.id), call.params.id) } };
    },
  };
}
