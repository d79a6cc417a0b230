// Minute buckets as text, for the usage stream several instances share (docs/scaling.md):
// {"v":1,"b":[{"t":minute,"e":[[client,binding,provider,keyId,fingerprint,model,currency],compactRow]...]}]}
// The counters use the files' compact row (counters.ts), so one format describes both.
import { fromCompact, toCompact } from './counters.ts';
import type { MinuteBucket, PendingEntry } from './aggregator.ts';
import type { UsageDims } from './types.ts';

type DimsArray = [string, string, string, string, string, string, string];

function dimsArray(d: UsageDims): DimsArray {
  return [d.client, d.binding, d.provider, d.keyId, d.fingerprint, d.model, d.currency];
}

export function encodeBuckets(buckets: readonly MinuteBucket[]): string {
  return JSON.stringify({
    v: 1,
    b: buckets.map((b) => ({ t: b.t, e: [...b.entries.values(), ...b.retired].map((e) => [dimsArray(e.dims), toCompact(b.t, 0, e.c)]) })),
  });
}

const isText = (x: unknown): x is string => typeof x === 'string' && x.length <= 500;

/** The buckets of an encoded message; throws on anything it does not recognise. */
export function decodeBuckets(text: string): MinuteBucket[] {
  const doc = JSON.parse(text) as { v?: unknown; b?: unknown };
  if (doc.v !== 1 || !Array.isArray(doc.b)) throw new Error('not a usage message of version 1');
  return doc.b.map((raw: { t?: unknown; e?: unknown }) => {
    if (typeof raw.t !== 'number' || raw.t % 60_000 !== 0 || !Array.isArray(raw.e)) throw new Error('a bucket without a minute or entries');
    const retired: PendingEntry[] = raw.e.map((pair: unknown) => {
      const [d, row] = pair as [unknown[], unknown[]];
      if (!Array.isArray(d) || d.length !== 7 || !d.every(isText) || !Array.isArray(row) || !row.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new Error('an entry that is not [dims, counters]');
      const [client, binding, provider, keyId, fingerprint, model, currency] = d as DimsArray;
      return { dims: { client, binding, provider, keyId, fingerprint, model, currency }, c: fromCompact(row as number[]) };
    });
    // Entries arrive keyless: they are merged by full dims into the rollup files.
    return { t: raw.t, entries: new Map(), retired, count: retired.length };
  });
}
