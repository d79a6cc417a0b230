// Which notification channels (sil.yaml notifications.channels) a built-in alert goes to when
// it names none: warning and critical alerts go to every channel; info alerts to the console
// channels only; the alerts of the notification machinery itself (a channel failed, a webhook
// endpoint disabled) to none, so a broken channel can never notify about itself in a loop — they
// show in the console's notification centre, which every alert reaches.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { AlertKind, AlertSeverity } from './types.ts';

const CONSOLE_ONLY = new Set<AlertKind>(['channel-failed', 'webhook-disabled']);

export function channelsFor(kind: AlertKind, severity: AlertSeverity, snapshot: Pick<ConfigSnapshot, 'settings'> | null): string[] {
  if (CONSOLE_ONLY.has(kind)) return [];
  const all = snapshot?.settings.notifications?.channels ?? [];
  return all.filter((c) => severity !== 'info' || c.type === 'console').map((c) => c.name);
}
