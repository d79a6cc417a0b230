// The ChannelDispatcher: for each channel of a notification, `console` and `webhook` are already
// served (the notification centre; the outgoing webhooks' alert.* events), and email / SMS /
// Telegram go through the channel's binding via the hub's internal caller — failover, keys from
// the vault, policies and metering as for any /bind/ request. A channel that fails is reported
// to onChannelFailed (the alert engine raises a console-only `channel-failed` alert); nothing is
// ever sent about a channel through a channel, and a failed send is not retried here.
import { createHash } from 'node:crypto';
import type { AlertNotification } from '../observe/alerts/types.ts';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import type { InternalCaller } from '../proxy/internal-call.ts';
import type { ChannelDispatcher, ChannelResult } from './types.ts';
import { planChannel, type ChannelPlan } from './channel-plan.ts';
import { renderMessage, type NotificationMessage } from './message.ts';
import { answerVerdict, renderSend } from './wire-formats.ts';
import { ChannelThrottle, CAP, WINDOW_MS, transitionKey } from './throttle.ts';

/** The client name usage of notification sends is recorded under. */
export const NOTIFICATIONS_CLIENT = 'sil-notifications';

export interface DispatcherDeps {
  snapshot: () => ConfigSnapshot | null;
  call: InternalCaller;
  /** A channel's send failed (after its binding's failover): raise the console-only alert. */
  onChannelFailed?: (channel: string, error: string) => void;
  /** A channel that had failed sent again: resolve that alert. */
  onChannelRecovered?: (channel: string) => void;
  now?: () => number;
  log?: (line: string) => void;
}

/** What the alert engine offers for channel failures (AlertEngine has both). */
export interface ChannelFailureReporter {
  channelFailed(channel: string, error: string): unknown;
  channelRecovered(channel: string): unknown;
}

export class BindingChannelDispatcher implements ChannelDispatcher {
  #deps: DispatcherDeps;
  readonly #now: () => number;
  readonly #throttle = new ChannelThrottle();
  readonly #failing = new Set<string>();

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Wires the failure callbacks to the alert engine when it is made after the dispatcher. */
  setReporter(r: ChannelFailureReporter): void {
    this.#deps = { ...this.#deps, onChannelFailed: (c, e) => void r.channelFailed(c, e), onChannelRecovered: (c) => void r.channelRecovered(c) };
  }

  async dispatch(notification: AlertNotification, channels: readonly string[]): Promise<ChannelResult[]> {
    const snapshot = this.#deps.snapshot();
    const unique = [...new Set(channels)];
    return Promise.all(unique.map((name) => this.#one(snapshot, notification, name)));
  }

  async #one(snapshot: ConfigSnapshot | null, n: AlertNotification, channel: string): Promise<ChannelResult> {
    const plan = planChannel(snapshot, channel);
    if ('error' in plan) return this.#failed(channel, plan.error);
    if (plan.via !== 'binding') return { channel, ok: true };
    // The no-loop rule: a channel's failure is for the console only.
    if (n.alert.kind === 'channel-failed') return { channel, ok: true, skipped: 'no-loop' };
    if (n.alert.silencedUntil !== undefined && n.alert.silencedUntil > this.#now()) return { channel, ok: true, skipped: 'silenced' };
    const verdict = this.#throttle.admit(channel, transitionKey(n.alert.id, n.transition, n.alert.firedAt), this.#now());
    if (!verdict.send) return { channel, ok: true, skipped: verdict.why };
    const message = renderMessage(n, snapshot?.settings.notifications?.consoleUrl);
    const error = await this.#send(plan, n, withHeldBack(message, verdict.heldBack));
    if (error) return this.#failed(channel, error);
    if (this.#failing.delete(channel)) this.#report(() => this.#deps.onChannelRecovered?.(channel));
    return { channel, ok: true };
  }

  /** Sends to every recipient; the first failure is the channel's error (the others still go). */
  async #send(plan: Extract<ChannelPlan, { via: 'binding' }>, n: AlertNotification, message: NotificationMessage): Promise<string | undefined> {
    const errors: string[] = [];
    for (const req of renderSend(plan.kind, message, plan.to, plan.from)) {
      const answer = await this.#deps.call({ binding: plan.binding, method: 'POST', subPath: plan.subPath, headers: { ...req.headers, 'idempotency-key': idempotencyKey(n, req.recipients) }, body: req.body });
      if (!answer.ok) {
        errors.push(`binding "${plan.binding}": ${answer.error}`);
        continue;
      }
      const v = answerVerdict(plan.kind, answer.status, answer.body.toString('utf8'));
      if (!v.ok) errors.push(`${v.reason} (binding "${plan.binding}", ${answer.attempts} attempt${answer.attempts === 1 ? '' : 's'}${answer.provider ? `, last ${answer.provider}` : ''})`);
    }
    return errors.length === 0 ? undefined : errors.join('; ');
  }

  #failed(channel: string, error: string): ChannelResult {
    this.#failing.add(channel);
    this.#deps.log?.(`notify: channel "${channel}" failed: ${error}`);
    this.#report(() => this.#deps.onChannelFailed?.(channel, error));
    return { channel, ok: false, error };
  }

  #report(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#deps.log?.(`notify: reporting a channel's state failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}

function withHeldBack(m: NotificationMessage, heldBack: number): NotificationMessage {
  if (heldBack === 0) return m;
  const note = `${heldBack} more alert notification${heldBack === 1 ? ' was' : 's were'} held back on this channel (at most ${CAP} per ${WINDOW_MS / 60_000} min); the console lists them all.`;
  return { subject: m.subject, text: `${m.text}\n\n${note}`, short: m.short };
}

/**
 * A notification may be sent again by a target the binding fails over to (a duplicate message is
 * better than a lost one): this key makes the /bind/ request retry-safe, as a caller's would, and
 * is the same for the same transition and recipients.
 */
function idempotencyKey(n: AlertNotification, recipients: readonly string[]): string {
  const digest = createHash('sha256').update(`${transitionKey(n.alert.id, n.transition, n.alert.firedAt)}\u0000${recipients.join(',')}`).digest('hex');
  return `sil-notify-${digest.slice(0, 32)}`;
}
