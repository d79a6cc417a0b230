// Outgoing webhooks in a running hub: the journal and endpoint states under
// data/state/webhooks/, the dispatcher listening on the events bus, the real HTTP sender through
// the guarded lookup, and the signing secrets read from the live snapshot. Given the cluster, the
// queue follows sil.yaml `redis:` (queue-switch.ts): every instance queues into Redis, the leader
// alone sends, a shared fact is queued once (fact-claim.ts), and what had to wait locally moves
// into Redis when it answers (buffer-move.ts).
import { join } from 'node:path';
import type { HubEvent, HubEvents } from '../events/hub-events.ts';
import type { LiveConfig } from '../config/live-config.ts';
import type { LookupFn } from '../proxy/guarded-lookup.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { RedisConnection } from '../cluster/redis-connection.ts';
import { DeliveryJournal } from './delivery-journal.ts';
import { EndpointStates } from './endpoint-states.ts';
import { LocalDeliveryStore } from './delivery-store.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { httpSender } from './http-send.ts';
import { signingSecrets } from './secrets.ts';
import { RedisDeliveryStore } from './redis-journal.ts';
import { RedisEndpointStates } from './redis-endpoint-states.ts';
import { SwitchedDeliveryStore, SwitchedEndpointStates } from './queue-switch.ts';
import { BufferMover, moveBuffered } from './buffer-move.ts';
import { claimFact } from './fact-claim.ts';

export interface WebhooksRuntime {
  dispatcher: WebhookDispatcher;
  /** Adds a listener called when the hub disables an endpoint (the alert engine raises an alert). */
  onDisabled(listener: (name: string, reason: string) => void): void;
  /** Adds a listener called when the owner enables such an endpoint again (the alert resolves). */
  onEnabled(listener: (name: string) => void): void;
  /** With `redis:`: moves what this instance kept locally into Redis now, if it is up (tests). */
  moveBuffered(): Promise<void>;
  close(): Promise<void>;
}

export interface WebhooksOptions {
  dataDir: string;
  live: LiveConfig;
  events: HubEvents;
  lookup: LookupFn;
  userAgent: string;
  log: (line: string) => void;
  now?: () => number;
  /** The hub among its peers: with `redis:` the queue is shared and the leader sends. */
  cluster?: Pick<Cluster, 'connection' | 'onConnection' | 'leader'>;
  /** How long the leader's claim on a delivery hides it from the next leader (default 30 s: an attempt's 15 s and a margin). */
  claimMs?: number;
  /** false queues deliveries without sending them (an isolated hub: docs/deploy/hetzner.md, the restore drill). */
  send?: boolean;
}

const ATTEMPT_TIMEOUT_MS = 15_000;

export async function startWebhooks(opts: WebhooksOptions): Promise<WebhooksRuntime> {
  const now = opts.now ?? Date.now;
  const dir = join(opts.dataDir, 'state', 'webhooks');
  const journal = await DeliveryJournal.open(dir, { now: now(), log: opts.log });
  const localEndpoints = await EndpointStates.open(dir, opts.log);
  const listeners: ((name: string, reason: string) => void)[] = [];
  const enabled: ((name: string) => void)[] = [];
  const cluster = opts.cluster;
  const local = new LocalDeliveryStore(journal);
  const connection = () => cluster?.connection() ?? null;

  const sides = new WeakMap<RedisConnection, { deliveries: RedisDeliveryStore; endpoints: RedisEndpointStates }>();
  const sideOf = (conn: RedisConnection) => {
    let side = sides.get(conn);
    if (!side) sides.set(conn, (side = { deliveries: new RedisDeliveryStore(conn, { claimMs: opts.claimMs ?? 2 * ATTEMPT_TIMEOUT_MS }), endpoints: new RedisEndpointStates(conn) }));
    return side;
  };
  let mover: BufferMover | null = null;
  const onBuffered = () => mover?.schedule();
  const store = cluster ? new SwitchedDeliveryStore(local, { connection, redis: (c) => sideOf(c).deliveries, onBuffered, log: opts.log }) : local;
  const endpoints = cluster ? new SwitchedEndpointStates(localEndpoints, { connection, redis: (c) => sideOf(c).endpoints, onBuffered, log: opts.log }) : localEndpoints;

  const dispatcher = new WebhookDispatcher({
    journal,
    store,
    endpoints,
    subscriptions: () => opts.live.snapshot?.webhooks ?? null,
    secrets: (name) => signingSecrets(opts.live.snapshot, name, now()),
    send: httpSender({ lookup: opts.lookup, userAgent: opts.userAgent }),
    now,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
    log: opts.log,
    // With `redis:` the leader alone sends; without it this instance is the only one.
    ...(cluster ? { leads: () => cluster.connection() === null || cluster.leader.isLeader() } : {}),
    onDisabled: (name, reason) => {
      for (const l of listeners) l(name, reason);
    },
    onEnabled: (name) => {
      for (const l of enabled) l(name);
    },
  });

  const offs: (() => unknown)[] = [];
  if (cluster && endpoints instanceof SwitchedEndpointStates) {
    mover = new BufferMover({
      cluster,
      left: () => journal.size > 0 || endpoints.waiting,
      log: opts.log,
      move: async (conn) => {
        const side = sideOf(conn);
        await endpoints.flush(side.endpoints);
        const { moved, dropped } = await moveBuffered(journal, side.deliveries, (fact, id) => claimFact(conn, fact, id), now(), (id) => dispatcher.busy(id));
        if (moved || dropped) opts.log(`webhooks: moved ${moved} deliver${moved === 1 ? 'y' : 'ies'} kept in ${journal.path} into Redis${dropped ? `; dropped ${dropped} another instance had queued already` : ''}`);
        if (moved) dispatcher.wake();
      },
    });
    offs.push(cluster.leader.onChange(() => dispatcher.wake()), cluster.onConnection(() => dispatcher.wake()));
  }

  /** Queues an event; a shared fact only on the instance that claims it first. */
  async function queue(event: HubEvent): Promise<void> {
    // After the emitter's turn: a commit's config.applied is emitted by a `loaded` listener that
    // runs before the cluster's, so the connection that commit configures is only known then.
    await null;
    const conn = connection();
    if (!event.fact || !conn) return void (await dispatcher.accept(event));
    if (conn.state === 'up') {
      try {
        if (!(await claimFact(conn, event.fact, event.id))) return;
        return void (await dispatcher.accept(event));
      } catch {
        // Unreachable now: kept with its fact below; the move into Redis claims it.
      }
    }
    await dispatcher.accept(event, { fact: event.fact });
  }

  offs.push(opts.events.on((event) => {
    queue(event).catch((err: Error) => opts.log(`webhooks: cannot queue ${event.type} ${event.id}: ${err.message}`));
  }));
  if (opts.send !== false) dispatcher.start();
  const pending = journal.pending().length;
  if (pending) opts.log(`webhooks: ${pending} pending deliver${pending === 1 ? 'y' : 'ies'} resumed from ${journal.path}${connection() ? ' (they move into Redis when it answers)' : ''}`);
  return {
    dispatcher,
    onDisabled: (l) => listeners.push(l),
    onEnabled: (l) => enabled.push(l),
    moveBuffered: () => mover?.run() ?? Promise.resolve(),
    async close() {
      for (const off of offs) off();
      await mover?.close();
      await dispatcher.close();
    },
  };
}
