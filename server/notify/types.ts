// Notification channels (sil.yaml notifications.channels): console (the notification centre,
// always), webhook (the outgoing webhooks' alert.* events), and email / sms / telegram sent
// through one of the hub's own bindings. The dispatcher (this folder) implements ChannelDispatcher;
// a channel that fails raises a `channel-failed` alert shown in the console only (never sent
// through a channel again, so a broken channel cannot loop).
import type { AlertNotification } from '../observe/alerts/types.ts';

export interface ChannelResult {
  channel: string;
  ok: boolean;
  /** Why it failed, safe to show. */
  error?: string;
}

export interface ChannelDispatcher {
  dispatch(notification: AlertNotification, channels: readonly string[]): Promise<ChannelResult[]>;
}
