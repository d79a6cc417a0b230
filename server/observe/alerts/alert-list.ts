// The alerts as GET /api/alerts lists them: firing first (most severe, then newest), then the
// others, most recently resolved first; filtered by state and kind. Pure.
import type { Alert, AlertKind, AlertSeverity } from './types.ts';

export interface AlertQuery {
  state?: Alert['state'];
  kind?: AlertKind;
  /** At most this many (default all). */
  limit?: number;
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function listAlerts(alerts: readonly Alert[], q: AlertQuery): Alert[] {
  const out = alerts.filter((a) => (!q.state || a.state === q.state) && (!q.kind || a.kind === q.kind));
  out.sort((x, y) => {
    if (x.state !== y.state) return x.state === 'firing' ? -1 : 1;
    if (x.state === 'firing') return RANK[x.severity] - RANK[y.severity] || y.firedAt - x.firedAt || x.id.localeCompare(y.id);
    return (y.resolvedAt ?? 0) - (x.resolvedAt ?? 0) || x.id.localeCompare(y.id);
  });
  return q.limit !== undefined ? out.slice(0, q.limit) : out;
}
