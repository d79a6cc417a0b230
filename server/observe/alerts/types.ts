// The alert engine's contract: alerts as the admin API, the console's notification centre, the
// channels and the outgoing webhooks see them. The engine (this folder) emits `alert.firing` and
// `alert.resolved` on the hub's events, with the Alert as data.

export type AlertKind = 'policy' | 'provider-down' | 'key-rotation-due' | 'key-rotation-overdue' | 'key-expiring' | 'config-rejected' | 'budget' | 'channel-failed' | 'webhook-disabled' | 'shared-state-unavailable' | 'remote-sync';
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface Alert {
  /** Stable for the same rule and subject (deduplication key), e.g. "provider-down:openai-main". */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** What it is about: a provider, key ("openai-main/k1"), policy ("web-default/error-rate"), commit... */
  subject: string;
  title: string;
  detail: string;
  state: 'firing' | 'resolved';
  firedAt: number;
  resolvedAt?: number;
  /** The last time the condition was seen true, and how many times it fired since first seen. */
  lastSeenAt: number;
  count: number;
  acknowledgedAt?: number;
  /** Notifications held back until then (a silence); the alert still shows in the console. */
  silencedUntil?: number;
  /** Notification channels (sil.yaml notifications.channels names) it goes to. */
  channels: string[];
  /** Figures the alert rests on. */
  evidence?: Record<string, string | number>;
}

/** A change of an alert that channels are told about. */
export interface AlertNotification {
  alert: Alert;
  transition: 'firing' | 'resolved';
}

/** What a rule or another part of the hub says is wrong now (AlertEngine.raise). */
export interface AlertRaise {
  kind: AlertKind;
  subject: string;
  severity: AlertSeverity;
  title: string;
  detail: string;
  /** Default `${kind}:${subject}`. */
  id?: string;
  /** Default: by severity from sil.yaml notifications.channels (docs/alerts.md). */
  channels?: string[];
  evidence?: Record<string, string | number>;
}

/** Notifications held back until `until`: for one alert, or for every alert of a kind. */
export interface AlertSilence {
  id: string;
  alertId?: string;
  kind?: AlertKind;
  until: number;
  createdAt: number;
}

/** What the other parts of the hub (channels, outgoing webhooks) use to raise and clear their alerts. */
export interface AlertRaiser {
  raise(alert: AlertRaise): Alert;
  resolve(id: string): Alert | undefined;
}
