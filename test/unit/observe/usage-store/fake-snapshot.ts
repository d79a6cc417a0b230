// A config snapshot with only what the usage store reads: keyring metadata, services' pricing
// currencies and sil.yaml's timeZone.
import type { ConfigSnapshot } from '../../../../server/config/snapshot.ts';

export interface FakeProvider { keys?: Record<string, string>; models?: Record<string, string | undefined>; currency?: string }

export function fakeSnapshot(providers: Record<string, FakeProvider>, timeZone?: string): ConfigSnapshot {
  const keyrings = new Map(Object.entries(providers).map(([id, p]) => [id, { provider: id, keys: Object.entries(p.keys ?? {}).map(([kid, fingerprint]) => ({ id: kid, fingerprint })) }]));
  const compiled = new Map(Object.entries(providers).map(([id, p]) => [id, {
    id,
    services: [{ id: 'chat', pricing: p.currency ? { currency: p.currency } : undefined, models: new Map(Object.entries(p.models ?? {}).map(([m, cur]) => [m, cur ? { id: m, pricing: { currency: cur } } : { id: m }])) }],
  }]));
  return { settings: timeZone ? { timeZone } : {}, keyrings, providers: compiled } as unknown as ConfigSnapshot;
}
