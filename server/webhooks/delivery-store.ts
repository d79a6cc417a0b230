// What the dispatcher keeps deliveries and endpoint states in: this instance's journal
// (data/state/webhooks, LocalDeliveryStore below), or, with `redis:` in sil.yaml, Redis shared by
// every instance (queue-switch.ts routes between the two). Claiming is the dispatcher's way to
// take due deliveries for an attempt: the local journal answers at once (the dispatcher's own
// in-flight set is the claim); Redis hides a claimed delivery from the other instances for a
// while, so that a leader dying mid-attempt leaves it to the next leader.
import type { DeliveryJournal } from './delivery-journal.ts';
import type { Delivery, EndpointState } from './types.ts';

export interface DeliveryStore {
  /** Whether other instances queue into it too: the leader then looks for due deliveries every poll. */
  readonly shared: boolean;
  get(id: string): Promise<Delivery | undefined>;
  /** A subscription's deliveries, newest first. */
  list(subscription: string): Promise<Delivery[]>;
  pendingOf(subscription: string): Promise<Delivery[]>;
  /** Records a delivery as it now stands (created, attempted, finished). */
  save(d: Delivery, now: number): Promise<void>;
  /** Up to `max` deliveries due at `now`, soonest first, not those in `exclude`, claimed for an attempt. */
  claimDue(now: number, max: number, exclude: ReadonlySet<string>): Delivery[] | Promise<Delivery[]>;
  /** Gives a claim back without an attempt (the dispatcher closed or lost the lead meanwhile). */
  release(d: Delivery): Promise<void>;
  /** When the soonest pending delivery not in `exclude` is due; null when none (or, shared, unknown). */
  nextDue(exclude: ReadonlySet<string>): number | null;
  close(): Promise<void>;
}

export interface EndpointStore {
  /** As this instance last knew it (what the dispatcher's endpoint() answers at once). */
  get(name: string): EndpointState;
  /** As it stands now (a shared store asks Redis). */
  read(name: string): Promise<EndpointState>;
  update(name: string, change: (s: EndpointState) => EndpointState): Promise<EndpointState>;
}

/** The journal of a single instance, as a DeliveryStore. */
export class LocalDeliveryStore implements DeliveryStore {
  readonly shared = false;
  readonly journal: DeliveryJournal;

  constructor(journal: DeliveryJournal) {
    this.journal = journal;
  }

  async get(id: string): Promise<Delivery | undefined> {
    return this.journal.get(id);
  }

  async list(subscription: string): Promise<Delivery[]> {
    return this.journal.list(subscription);
  }

  async pendingOf(subscription: string): Promise<Delivery[]> {
    return this.journal.pending().filter((d) => d.subscription === subscription);
  }

  save(d: Delivery, now: number): Promise<void> {
    return this.journal.save(d, now);
  }

  claimDue(now: number, max: number, exclude: ReadonlySet<string>): Delivery[] {
    const due = this.journal.pending().filter((d) => !exclude.has(d.id) && d.nextAt !== null && d.nextAt <= now);
    return due.sort((a, b) => a.nextAt! - b.nextAt!).slice(0, Math.max(0, max));
  }

  async release(): Promise<void> {}

  nextDue(exclude: ReadonlySet<string>): number | null {
    let next = Infinity;
    for (const d of this.journal.pending()) if (!exclude.has(d.id) && d.nextAt !== null) next = Math.min(next, d.nextAt);
    return next === Infinity ? null : next;
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
