// Telling one alert transition: `alert.firing` / `alert.resolved` on the hub's bus (outgoing
// webhooks send it) and a dispatch to the alert's notification channels. Sends in flight are
// kept so that closing the engine waits for them.
import type { HubEvents } from '../../events/hub-events.ts';
import type { ChannelDispatcher } from '../../notify/types.ts';
import type { AlertNotification } from './types.ts';

export class AlertTeller {
  dispatcher: ChannelDispatcher | undefined;
  readonly #events: HubEvents;
  readonly #log: (line: string) => void;
  readonly #sending = new Set<Promise<unknown>>();

  constructor(events: HubEvents, dispatcher: ChannelDispatcher | undefined, log: (line: string) => void) {
    this.#events = events;
    this.dispatcher = dispatcher;
    this.#log = log;
  }

  tell(n: AlertNotification): void {
    this.#events.emit(n.transition === 'firing' ? 'alert.firing' : 'alert.resolved', { ...n.alert }, typeof n.alert.evidence?.environment === 'string' ? n.alert.evidence.environment : undefined);
    const d = this.dispatcher;
    if (!d || n.alert.channels.length === 0) return;
    const sent = d.dispatch(n, n.alert.channels).then(
      (results) => {
        for (const r of results) if (!r.ok) this.#log(`alerts: channel ${r.channel} failed for ${n.alert.id}: ${r.error ?? 'unknown error'}`);
      },
      (err: Error) => this.#log(`alerts: notifying ${n.alert.id} failed: ${err.message}`),
    );
    this.#sending.add(sent);
    void sent.finally(() => this.#sending.delete(sent));
  }

  /** Waits for the sends in flight. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#sending]);
  }
}
