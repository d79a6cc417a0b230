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
  /**
   * ok but nothing sent: the transition was already sent on this channel (duplicate), the
   * channel is at its cap (capped; counted in its next message), the alert is silenced, or it is
   * a channel-failed alert, which never goes through a channel (no-loop).
   */
  skipped?: 'duplicate' | 'capped' | 'silenced' | 'no-loop';
}

export interface ChannelDispatcher {
  dispatch(notification: AlertNotification, channels: readonly string[]): Promise<ChannelResult[]>;
}
