// The alerts other parts of the hub raise about the notification machinery itself: a channel
// whose send failed (server/notify) and an outgoing webhook endpoint disabled after failing for
// days (server/webhooks). Console only (channels.ts), so they can never loop. Pure.
import type { AlertRaise } from './types.ts';

export const channelFailedId = (channel: string) => `channel-failed:${channel}`;
export const webhookDisabledId = (endpoint: string) => `webhook-disabled:${endpoint}`;

export function channelFailed(channel: string, error: string): AlertRaise {
  return {
    id: channelFailedId(channel),
    kind: 'channel-failed',
    subject: channel,
    severity: 'warning',
    title: `Notification channel ${channel} failed`,
    detail: `A notification could not be sent through ${channel}: ${error.slice(0, 300)}. Alerts still show here; check the channel's binding and recipient in sil.yaml notifications.channels.`,
    channels: [],
    evidence: { channel, error: error.slice(0, 300) },
  };
}

export function webhookDisabled(endpoint: string, reason: string): AlertRaise {
  return {
    id: webhookDisabledId(endpoint),
    kind: 'webhook-disabled',
    subject: endpoint,
    severity: 'critical',
    title: `Outgoing webhook ${endpoint} was disabled`,
    detail: `The endpoint kept failing: ${reason.slice(0, 300)}. Events for it are no longer sent; fix the receiver, then enable it again in webhooks/${endpoint}.yaml.`,
    channels: [],
    evidence: { endpoint, reason: reason.slice(0, 300) },
  };
}
