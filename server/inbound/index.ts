// Inbound provider webhooks (docs/inbound-webhooks.md), composed: the replay memory read back
// from data/state/inbound-replay.json, the receiver, the POST /hooks/<provider-id> route and the
// recent list the admin API shows. main.ts mounts `route` and runs `close` at hub close.
import { join } from 'node:path';
import type { Context, Middleware } from 'koa';
import type { LiveConfig } from '../config/live-config.ts';
import type { HubEvents } from '../events/hub-events.ts';
import type { AuditEvent } from '../observe/audit-event.ts';
import { schemeRegistry } from './schemes/index.ts';
import type { CertificateSource } from './schemes/paypal.ts';
import { paypalCertificates } from './paypal-certs.ts';
import { ReplayMemory } from './replay-memory.ts';
import { ReplayFlusher, readReplayFile } from './state-file.ts';
import { RecentHooks } from './recent-hooks.ts';
import { createReceiver } from './receiver.ts';
import { hookRoute } from './hook-route.ts';
import type { SharedReplay } from '../cluster/shared-replay.ts';

export interface InboundOptions {
  dataDir: string;
  live: LiveConfig;
  events: HubEvents;
  audit: (event: AuditEvent) => void;
  log: (line: string) => void;
  remoteAddress: (ctx: Context) => string;
  now?: () => number;
  /** Several instances: replays refused across them through Redis (server/cluster/shared-replay.ts). */
  shared?: SharedReplay;
  /** Where PayPal certificates come from (default: fetched from PayPal's API hosts). */
  paypalCertificates?: CertificateSource;
}

export interface InboundHooks {
  route: Middleware;
  recent: RecentHooks;
  close(): Promise<void>;
}

export async function startInboundHooks(opts: InboundOptions): Promise<InboundHooks> {
  const now = opts.now ?? Date.now;
  const path = join(opts.dataDir, 'state', 'inbound-replay.json');
  const replay = new ReplayMemory();
  replay.load(await readReplayFile(path, opts.log), now());
  const flusher = new ReplayFlusher(replay, { path, now, log: opts.log });
  flusher.start();
  const recent = new RecentHooks();
  const receive = createReceiver({
    snapshot: () => opts.live.snapshot,
    schemes: schemeRegistry({ paypalCertificates: opts.paypalCertificates ?? paypalCertificates() }),
    replay,
    ...(opts.shared ? { shared: opts.shared } : {}),
    recent,
    now,
    emit: (data, environment) => opts.events.emit('provider.webhook', data, environment).id,
    audit: opts.audit,
  });
  return {
    route: hookRoute({ live: opts.live, receive, remoteAddress: opts.remoteAddress, log: opts.log }),
    recent,
    close: () => flusher.close(),
  };
}
