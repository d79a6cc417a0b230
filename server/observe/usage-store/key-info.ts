// What a request's dims need from the live config beyond what the proxy reports: the key's
// fingerprint (from the keyring metadata, never hashed here) and the currency of the model's
// pricing. Read when a bucket first sees a combination, not per request.
import type { ConfigSnapshot } from '../../config/snapshot.ts';

export const DEFAULT_CURRENCY = 'USD';

/** The fingerprint of `keyId` of `provider` in the snapshot, '' when unknown. */
export function fingerprintOf(snapshot: ConfigSnapshot | null | undefined, provider: string, keyId: string): string {
  if (!snapshot || !provider || !keyId) return '';
  const keys = snapshot.keyrings.get(provider)?.keys;
  if (!keys) return '';
  for (const k of keys) if (k.id === keyId) return k.fingerprint ?? '';
  return '';
}

/**
 * The currency the proxy prices `model` of `provider` in: the model's pricing, else its
 * service's (the first service offering the model, else the first with a currency), else USD —
 * as pass-on prices the answer.
 */
export function currencyOf(snapshot: ConfigSnapshot | null | undefined, provider: string, model: string): string {
  const services = snapshot?.providers.get(provider)?.services;
  if (!services) return DEFAULT_CURRENCY;
  if (model) {
    for (const s of services) {
      const m = s.models.get(model);
      if (m) return (m.pricing ?? s.pricing)?.currency ?? DEFAULT_CURRENCY;
    }
  }
  for (const s of services) if (s.pricing?.currency) return s.pricing.currency;
  return DEFAULT_CURRENCY;
}
