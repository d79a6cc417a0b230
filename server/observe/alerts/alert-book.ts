// The alerts as a state machine, pure (the clock is an argument): raise → firing, resolve →
// resolved, deduplicated by id; acknowledge; silences; and which transitions are to be told to
// the channels now. A transition is told once; one held back (a silence, the cool-down of an
// alert that fires again soon after it resolved) is told when the hold ends if it still holds.
import type { Alert, AlertKind, AlertNotification, AlertRaise, AlertSeverity, AlertSilence } from './types.ts';

/** An alert with what the book keeps of its notifications. */
export interface StoredAlert extends Alert {
  /** The last transition told to the channels, and at which severity. */
  notified?: 'firing' | 'resolved';
  notifiedSeverity?: AlertSeverity;
  /** A firing that came within the cool-down is not told before then. */
  holdUntil?: number;
}

export interface BookOptions {
  /** An alert firing again within this long after it resolved is not told again (default 10 min). */
  cooldownMs?: number;
  /** Resolved alerts are kept this long (default 30 days). */
  keepResolvedMs?: number;
  /** At most this many alerts are kept; the oldest resolved go first (default 1000). */
  maxAlerts?: number;
}

export const DEFAULT_COOLDOWN_MS = 10 * 60_000;
const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export class AlertBook {
  readonly #alerts = new Map<string, StoredAlert>();
  #silences: AlertSilence[] = [];
  readonly #cooldownMs: number;
  readonly #keepResolvedMs: number;
  readonly #maxAlerts: number;
  #silenceSeq = 0;

  constructor(opts: BookOptions = {}) {
    this.#cooldownMs = opts.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.#keepResolvedMs = opts.keepResolvedMs ?? 30 * 86_400_000;
    this.#maxAlerts = opts.maxAlerts ?? 1000;
  }

  get(id: string): StoredAlert | undefined {
    return this.#alerts.get(id);
  }

  all(): StoredAlert[] {
    return [...this.#alerts.values()];
  }

  silences(now: number): AlertSilence[] {
    return this.#silences.filter((s) => s.until > now);
  }

  /** Creates the alert, or updates it (a resolved one fires again: count + 1). */
  raise(r: AlertRaise & { channels: string[] }, now: number): StoredAlert {
    const id = r.id ?? `${r.kind}:${r.subject}`;
    const fields = { kind: r.kind, severity: r.severity, subject: r.subject, title: r.title, detail: r.detail, channels: [...r.channels], ...(r.evidence ? { evidence: { ...r.evidence } } : {}) };
    const old = this.#alerts.get(id);
    if (!old) {
      const a: StoredAlert = { id, ...fields, state: 'firing', firedAt: now, lastSeenAt: now, count: 1 };
      this.#alerts.set(id, a);
      return a;
    }
    if (!r.evidence) delete old.evidence;
    Object.assign(old, fields, { lastSeenAt: now });
    if (old.state === 'resolved') {
      const resolvedAt = old.resolvedAt ?? now;
      old.state = 'firing';
      old.firedAt = now;
      old.count += 1;
      delete old.resolvedAt;
      delete old.acknowledgedAt;
      if (old.notified === 'resolved' && now - resolvedAt < this.#cooldownMs) old.holdUntil = resolvedAt + this.#cooldownMs;
      else delete old.holdUntil;
    }
    return old;
  }

  resolve(id: string, now: number): StoredAlert | undefined {
    const a = this.#alerts.get(id);
    if (!a || a.state !== 'firing') return undefined;
    a.state = 'resolved';
    a.resolvedAt = now;
    delete a.holdUntil;
    return a;
  }

  acknowledge(id: string, now: number): StoredAlert | undefined {
    const a = this.#alerts.get(id);
    if (a && a.acknowledgedAt === undefined) a.acknowledgedAt = now;
    return a;
  }

  /** Holds back notifications of one alert, or of every alert of its kind, until `until`. */
  silence(target: { alertId: string } | { kind: AlertKind }, until: number, now: number): AlertSilence {
    const s: AlertSilence = { id: `sil_${now.toString(36)}_${++this.#silenceSeq}`, ...target, until, createdAt: now };
    this.#silences = this.#silences.filter((x) => !('alertId' in target ? x.alertId === target.alertId : x.kind === target.kind && !x.alertId));
    this.#silences.push(s);
    return s;
  }

  /** Lifts every silence that holds this alert (its own and its kind's); how many were lifted. */
  unsilence(alert: Pick<Alert, 'id' | 'kind'>): number {
    const before = this.#silences.length;
    this.#silences = this.#silences.filter((s) => !(s.alertId === alert.id || (s.kind === alert.kind && !s.alertId)));
    return before - this.#silences.length;
  }

  /** The end of the latest silence holding this alert, when one does now. */
  silencedUntil(a: Pick<Alert, 'id' | 'kind'>, now: number): number | undefined {
    let until: number | undefined;
    for (const s of this.#silences) if (s.until > now && (s.alertId === a.id || (s.kind === a.kind && !s.alertId))) until = Math.max(until ?? 0, s.until);
    return until;
  }

  /** The transitions to tell the channels now; each is marked told. */
  due(now: number): AlertNotification[] {
    const out: AlertNotification[] = [];
    for (const a of this.#alerts.values()) {
      if (this.silencedUntil(a, now) !== undefined) continue;
      if (a.state === 'firing') {
        if (a.holdUntil !== undefined && now < a.holdUntil) continue;
        const escalated = a.notified === 'firing' && RANK[a.severity] > RANK[a.notifiedSeverity ?? 'info'];
        if (a.notified === 'firing' && !escalated) continue;
        a.notified = 'firing';
        a.notifiedSeverity = a.severity;
        delete a.holdUntil;
        out.push({ alert: publicAlert(a, undefined), transition: 'firing' });
      } else if (a.notified === 'firing') {
        a.notified = 'resolved';
        out.push({ alert: publicAlert(a, undefined), transition: 'resolved' });
      }
    }
    return out;
  }

  /** Drops ended silences, resolved alerts past the retention and, over the cap, the oldest resolved. */
  prune(now: number): boolean {
    const before = this.#alerts.size + this.#silences.length;
    this.#silences = this.#silences.filter((s) => s.until > now);
    for (const [id, a] of this.#alerts) if (a.state === 'resolved' && now - (a.resolvedAt ?? a.lastSeenAt) > this.#keepResolvedMs) this.#alerts.delete(id);
    if (this.#alerts.size > this.#maxAlerts) {
      const resolved = [...this.#alerts.values()].filter((a) => a.state === 'resolved').sort((x, y) => (x.resolvedAt ?? 0) - (y.resolvedAt ?? 0));
      for (const a of resolved.slice(0, this.#alerts.size - this.#maxAlerts)) this.#alerts.delete(a.id);
    }
    return this.#alerts.size + this.#silences.length !== before;
  }

  /** Sets one alert as another instance wrote it (undefined: it is gone). */
  put(id: string, a: StoredAlert | undefined): void {
    if (a) this.#alerts.set(id, { ...a });
    else this.#alerts.delete(id);
  }

  /** Replaces the silences (as the shared store holds them). */
  setSilences(silences: AlertSilence[]): void {
    this.#silences = silences.map((s) => ({ ...s }));
  }

  toJSON(): { alerts: StoredAlert[]; silences: AlertSilence[] } {
    return { alerts: this.all(), silences: [...this.#silences] };
  }

  load(state: { alerts: StoredAlert[]; silences: AlertSilence[] }): void {
    this.#alerts.clear();
    for (const a of state.alerts) this.#alerts.set(a.id, { ...a });
    this.#silences = state.silences.map((s) => ({ ...s }));
  }
}

/** The alert as the API, the bus and the channels see it (no bookkeeping of notifications). */
export function publicAlert(a: StoredAlert, silencedUntil: number | undefined): Alert {
  const { notified: _n, notifiedSeverity: _s, holdUntil: _h, silencedUntil: _u, ...rest } = a;
  return { ...rest, ...(rest.evidence ? { evidence: { ...rest.evidence } } : {}), channels: [...rest.channels], ...(silencedUntil !== undefined ? { silencedUntil } : {}) };
}
