// Outgoing webhooks in a running hub: the journal and endpoint states under
// data/state/webhooks/, the dispatcher listening on the events bus, the real HTTP sender through
// the guarded lookup, and the signing secrets read from the live snapshot.
import { join } from 'node:path';
import type { HubEvents } from '../events/hub-events.ts';
import type { LiveConfig } from '../config/live-config.ts';
import type { LookupFn } from '../proxy/guarded-lookup.ts';
import { DeliveryJournal } from './delivery-journal.ts';
import { EndpointStates } from './endpoint-states.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { httpSender } from './http-send.ts';
import { signingSecrets } from './secrets.ts';

export interface WebhooksRuntime {
  dispatcher: WebhookDispatcher;
  /** Adds a listener called when the hub disables an endpoint (the alert engine raises an alert). */
  onDisabled(listener: (name: string, reason: string) => void): void;
  /** Adds a listener called when the owner enables such an endpoint again (the alert resolves). */
  onEnabled(listener: (name: string) => void): void;
  close(): Promise<void>;
}

export async function startWebhooks(opts: { dataDir: string; live: LiveConfig; events: HubEvents; lookup: LookupFn; userAgent: string; log: (line: string) => void; now?: () => number }): Promise<WebhooksRuntime> {
  const now = opts.now ?? Date.now;
  const dir = join(opts.dataDir, 'state', 'webhooks');
  const journal = await DeliveryJournal.open(dir, { now: now(), log: opts.log });
  const endpoints = await EndpointStates.open(dir, opts.log);
  const listeners: ((name: string, reason: string) => void)[] = [];
  const enabled: ((name: string) => void)[] = [];
  const dispatcher = new WebhookDispatcher({
    journal,
    endpoints,
    subscriptions: () => opts.live.snapshot?.webhooks ?? null,
    secrets: (name) => signingSecrets(opts.live.snapshot, name, now()),
    send: httpSender({ lookup: opts.lookup, userAgent: opts.userAgent }),
    now,
    log: opts.log,
    onDisabled: (name, reason) => {
      for (const l of listeners) l(name, reason);
    },
    onEnabled: (name) => {
      for (const l of enabled) l(name);
    },
  });
  const off = opts.events.on((event) => {
    dispatcher.accept(event).catch((err: Error) => opts.log(`webhooks: cannot queue ${event.type} ${event.id}: ${err.message}`));
  });
  dispatcher.start();
  const pending = journal.pending().length;
  if (pending) opts.log(`webhooks: ${pending} pending deliver${pending === 1 ? 'y' : 'ies'} resumed from ${journal.path}`);
  return {
    dispatcher,
    onDisabled: (l) => listeners.push(l),
    onEnabled: (l) => enabled.push(l),
    async close() {
      off();
      await dispatcher.close();
    },
  };
}
