// The proxy's side of the usage store: counts every request into the current minute's bucket,
// in memory, keyed by its dims. Per request: one string key, one Map lookup and a few additions
// (the latency bucket by binary search); no I/O, timers or promises. The store takes the buckets
// at each flush (take()) and merges them into the minute, hour and day rollups.
import type { ConfigSnapshot } from '../../config/snapshot.ts';
import type { RequestOutcome, UsageRecord, UsageRecorder } from '../usage-recorder.ts';
import { emptyCounters } from './counters.ts';
import { placeDims } from './dims.ts';
import { currencyOf, fingerprintOf } from './key-info.ts';
import { latencyBucket } from './latency.ts';
import type { UsageCounters, UsageDims } from './types.ts';

export interface PendingEntry { dims: UsageDims; c: UsageCounters }

/** One minute's counts. `count` is how many entries it holds (its map also holds none twice). */
export interface MinuteBucket { t: number; entries: Map<string, PendingEntry>; retired: PendingEntry[]; count: number }

/** Default bound of distinct dims per bucket before models fold into "(other)". */
export const DEFAULT_MAX_DIMS = 500;

const SEP = '\u001f';
/** Prefix of map keys that are a full dims key (scores, folded dims), not the proxy's short key. */
const FULL = '\u001e';

export interface AggregatorOptions {
  /** The live config: key fingerprints and pricing currencies. */
  snapshot: () => ConfigSnapshot | null | undefined;
  maxDims?: number;
}

export class UsageAggregator implements UsageRecorder {
  readonly #snapshot: () => ConfigSnapshot | null | undefined;
  readonly #maxDims: number;
  #buckets = new Map<number, MinuteBucket>();
  #lastT = Number.NaN;
  #last: MinuteBucket | undefined;
  #snap: ConfigSnapshot | null | undefined = undefined;

  constructor(opts: AggregatorOptions) {
    this.#snapshot = opts.snapshot;
    this.#maxDims = opts.maxDims ?? DEFAULT_MAX_DIMS;
  }

  outcome(r: RequestOutcome): void {
    // GET /v1/models and POST /v1/feedback answered well are not traffic to a binding; refusals
    // before a binding was known (a bad token) are counted.
    if (r.binding === '' && r.status < 400) return;
    const c = this.#entry(r.at, r.client, r.binding, r.provider ?? '', r.keyId ?? '', r.model ?? '', undefined).c;
    c.requests++;
    if (r.status < 400) c.ok++;
    else if (r.status < 500) c.clientErrors++;
    else c.serverErrors++;
    if (r.errorCode !== undefined && r.errorCode.startsWith('SIL_LIMIT_')) c.limited++;
    c.attempts += r.attempts;
    c.failovers += r.failovers;
    c.latency[latencyBucket(r.latencyMs)]++;
    c.latencySumMs += r.latencyMs;
  }

  record(r: UsageRecord): void {
    const c = this.#entry(r.at, r.client, r.binding, r.provider, r.keyId, r.model ?? '', r.currency).c;
    c.inputTokens += r.usage.inputTokens ?? 0;
    c.outputTokens += r.usage.outputTokens ?? 0;
    c.cost += r.cost ?? 0;
  }

  /** A caller's score (0..1) for a request with these dims. */
  addScore(dims: UsageDims, score: number, at: number): void {
    const bucket = this.#bucket(at - (at % 60_000));
    const c = this.#place(bucket, dims).c;
    c.scoreSum += score;
    c.scoreCount++;
  }

  /**
   * The buckets counted since the last take, oldest first; counting goes on in fresh ones. With
   * `ready`, only the buckets of the minutes it accepts; the others stay for a later take.
   */
  take(ready?: (minute: number) => boolean): MinuteBucket[] {
    const out: MinuteBucket[] = [];
    const kept = new Map<number, MinuteBucket>();
    for (const [t, b] of this.#buckets) {
      if (ready === undefined || ready(t)) out.push(b);
      else kept.set(t, b);
    }
    this.#buckets = kept;
    this.#lastT = Number.NaN;
    this.#last = undefined;
    return out.sort((a, b) => a.t - b.t);
  }

  /** The minutes of the buckets not taken yet. */
  pendingMinutes(): number[] {
    return [...this.#buckets.keys()];
  }

  /** Each entry not yet taken, with its bucket's minute. */
  forEachPending(fn: (t: number, e: PendingEntry) => void): void {
    for (const b of this.#buckets.values()) {
      for (const e of b.entries.values()) fn(b.t, e);
      for (const e of b.retired) fn(b.t, e);
    }
  }

  #entry(at: number, client: string, binding: string, provider: string, keyId: string, model: string, currency: string | undefined): PendingEntry {
    const snap = this.#snapshot();
    if (snap !== this.#snap) this.#newSnapshot(snap);
    const t = at - (at % 60_000);
    const bucket = t === this.#lastT ? this.#last! : this.#bucket(t);
    const key = `${client}${SEP}${binding}${SEP}${provider}${SEP}${keyId}${SEP}${model}`;
    const e = bucket.entries.get(key);
    if (e !== undefined && (currency === undefined || currency === e.dims.currency)) return e;
    return this.#firstOfKey(bucket, key, { client, binding, provider, keyId, fingerprint: fingerprintOf(snap, provider, keyId), model, currency: currency ?? currencyOf(snap, provider, model) });
  }

  /**
   * A combination this bucket has not seen under its short key. The short key stands for the
   * fingerprint and currency the snapshot gives it; a record priced in another currency is kept
   * under a key of its own.
   */
  #firstOfKey(bucket: MinuteBucket, key: string, dims: UsageDims): PendingEntry {
    const derived = currencyOf(this.#snap, dims.provider, dims.model);
    const mapKey = dims.currency === derived ? key : `${key}${SEP}${dims.currency}`;
    const known = bucket.entries.get(mapKey);
    if (known !== undefined) return known;
    if (bucket.count < this.#maxDims) {
      const e = { dims, c: emptyCounters() };
      bucket.entries.set(mapKey, e);
      bucket.count++;
      return e;
    }
    // Over the bound: counted under folded dims, looked up each time (no alias, so a flood of
    // new models adds nothing to the map).
    return this.#place(bucket, dims);
  }

  /** The entry of full `dims` in the bucket, folded when the bucket is full. */
  #place(bucket: MinuteBucket, dims: UsageDims): PendingEntry {
    const placed = placeDims(dims, bucket.count, this.#maxDims, (k) => bucket.entries.has(FULL + k));
    let e = bucket.entries.get(FULL + placed.key);
    if (e === undefined) {
      e = { dims: placed.dims, c: emptyCounters() };
      bucket.entries.set(FULL + placed.key, e);
      bucket.count++;
    }
    return e;
  }

  #bucket(t: number): MinuteBucket {
    let b = this.#buckets.get(t);
    if (b === undefined) {
      b = { t, entries: new Map(), retired: [], count: 0 };
      this.#buckets.set(t, b);
    }
    this.#lastT = t;
    this.#last = b;
    return b;
  }

  /** A new config: short keys may stand for other fingerprints now, so their entries retire. */
  #newSnapshot(snap: ConfigSnapshot | null | undefined): void {
    this.#snap = snap;
    for (const b of this.#buckets.values()) {
      for (const [k, e] of b.entries) {
        if (k.startsWith(FULL)) continue;
        b.retired.push(e);
        b.entries.delete(k);
      }
    }
  }
}
