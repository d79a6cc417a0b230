// The dimensions a row is counted per: one string key for a set of dims, and the folding that
// bounds how many distinct sets one bucket may hold (a flood of unknown models must not grow
// memory or files without bound).
import type { UsageDims } from './types.ts';

/** The value dims are folded into when a bucket holds too many distinct sets. */
export const OTHER = '(other)';

/** Order of the dims in a file's dims table (append only: files on disk use it). */
export const DIM_FIELDS: readonly (keyof UsageDims)[] = Object.freeze(['client', 'binding', 'provider', 'keyId', 'fingerprint', 'model', 'currency']);

export type CompactDims = string[];

const SEP = '\u001f';

export function dimsKey(d: UsageDims): string {
  return `${d.client}${SEP}${d.binding}${SEP}${d.provider}${SEP}${d.keyId}${SEP}${d.fingerprint}${SEP}${d.model}${SEP}${d.currency}`;
}

export function toCompactDims(d: UsageDims): CompactDims {
  return DIM_FIELDS.map((f) => d[f]);
}

export function fromCompactDims(a: CompactDims): UsageDims {
  return { client: a[0], binding: a[1], provider: a[2], keyId: a[3], fingerprint: a[4], model: a[5], currency: a[6] };
}

export function isCompactDims(a: unknown): a is CompactDims {
  return Array.isArray(a) && a.length === DIM_FIELDS.length && a.every((v) => typeof v === 'string');
}

/**
 * Where a set of dims is counted in a bucket already holding `size` distinct sets (`has` tells
 * whether a key is one of them): as it is while the bucket holds fewer than `max`; from `max` on
 * with its model folded into "(other)"; from twice `max` on with every dim but the currency
 * folded. So a bucket holds at most 2 × max sets plus one per currency.
 */
export function placeDims(d: UsageDims, size: number, max: number, has: (key: string) => boolean): { dims: UsageDims; key: string } {
  const key = dimsKey(d);
  if (size < max || has(key)) return { dims: d, key };
  const modelFolded = { ...d, model: OTHER };
  const k1 = dimsKey(modelFolded);
  if (size < 2 * max || has(k1)) return { dims: modelFolded, key: k1 };
  const allFolded = { client: OTHER, binding: OTHER, provider: OTHER, keyId: OTHER, fingerprint: OTHER, model: OTHER, currency: d.currency };
  return { dims: allFolded, key: dimsKey(allFolded) };
}

/** True when `d` has every value `filter` gives. */
export function matchesFilter(d: UsageDims, filter: Partial<UsageDims> | undefined): boolean {
  if (!filter) return true;
  for (const f of DIM_FIELDS) {
    const want = filter[f];
    if (want !== undefined && d[f] !== want) return false;
  }
  return true;
}
