// When the soak's chaos happens, scaled to the run: fixed fractions of its length, every kind at
// least once, nothing in the last 15 % (the run ends on steady load, to see it recover). Pure.

export type ChaosKind = 'config-push' | 'outage-503' | 'outage-refuse' | 'outage-end' | 'key-rotation' | 'instance-restart' | 'redis-restart';

export interface ChaosEvent {
  /** ms from the start of the load. */
  atMs: number;
  kind: ChaosKind;
  /** Its number among the events of its kind (0, 1, ...): config pushes differ by it. */
  index: number;
}

/** A provider outage lasts a minute, or a tenth of a short run. */
export function outageMs(runMs: number): number {
  return Math.min(60_000, Math.round(runMs / 10));
}

/** Config pushes: one every few minutes (runs of 30 minutes: 6, one every 3¾ minutes), at least 2. */
export function configPushCount(runMs: number): number {
  return Math.max(2, Math.round(runMs / 300_000));
}

export const CHAOS_WINDOW = { from: 0.1, to: 0.85 } as const;

export function chaosSchedule(runMs: number): ChaosEvent[] {
  const at = (fraction: number) => Math.round(runMs * fraction);
  const outageStart = at(0.15);
  const outage = outageMs(runMs);
  const events: ChaosEvent[] = [
    { atMs: outageStart, kind: 'outage-503', index: 0 },
    // The second half of the outage refuses connections instead of answering 503.
    { atMs: outageStart + Math.round(outage / 2), kind: 'outage-refuse', index: 0 },
    { atMs: outageStart + outage, kind: 'outage-end', index: 0 },
    { atMs: at(0.35), kind: 'key-rotation', index: 0 },
    { atMs: at(0.5), kind: 'instance-restart', index: 0 },
    { atMs: at(0.65), kind: 'redis-restart', index: 0 },
  ];
  const pushes = configPushCount(runMs);
  const span = CHAOS_WINDOW.to - CHAOS_WINDOW.from;
  for (let k = 0; k < pushes; k++) events.push({ atMs: at(CHAOS_WINDOW.from + (span * (k + 0.5)) / pushes), kind: 'config-push', index: k });
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** A short name for the table's chaos column. */
export function chaosLabel(e: Pick<ChaosEvent, 'kind' | 'index'>, restarted = 'b'): string {
  switch (e.kind) {
    case 'config-push': return `config push ${e.index + 1}`;
    case 'outage-503': return 'outage: primary 503';
    case 'outage-refuse': return 'outage: primary refuses';
    case 'outage-end': return 'outage ends';
    case 'key-rotation': return 'key rotation';
    case 'instance-restart': return `restart ${restarted}`;
    case 'redis-restart': return 'redis restart';
  }
}
