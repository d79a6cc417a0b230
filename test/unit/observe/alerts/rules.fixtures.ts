// Fake usage rows and a snapshot for the alert rules: what the rules read, nothing more.
import type { RollupRow } from '../../../../server/observe/usage-store/types.ts';
import { emptyCounters } from '../../../../server/observe/usage-store/counters.ts';
import { latencyBucket } from '../../../../server/observe/usage-store/latency.ts';
import type { ConfigSnapshot } from '../../../../server/config/snapshot.ts';
import type { Policy, ProviderKey } from '../../../../schemas/types.gen.ts';
import { ProviderKeyring } from '../../../../server/vault/provider-keyring.ts';

export interface RowSpec { t: number; client?: string; binding?: string; provider?: string; requests: number; ok?: number; limited?: number; failovers?: number; latencyMs?: number; cost?: number }

export function row(s: RowSpec): RollupRow {
  const c = emptyCounters();
  c.requests = s.requests;
  c.ok = s.ok ?? s.requests;
  c.limited = s.limited ?? 0;
  c.serverErrors = c.requests - c.ok - c.limited;
  c.failovers = s.failovers ?? 0;
  c.cost = s.cost ?? 0;
  if (s.latencyMs !== undefined) {
    c.latency[latencyBucket(s.latencyMs)] += s.requests;
    c.latencySumMs = s.latencyMs * s.requests;
  }
  return { t: s.t, client: s.client ?? 'web', binding: s.binding ?? 'chat', provider: s.provider ?? 'openai', keyId: 'k1', fingerprint: '', model: 'm', currency: s.cost ? 'USD' : '', ...c };
}

export interface WorldSpec {
  policies?: Policy[];
  clientPolicy?: string;
  bindingPolicy?: string;
  providerPolicy?: string;
  keys?: Partial<ProviderKey>[];
  rotationDays?: number;
  channels?: { name: string; type: 'console' | 'webhook' | 'email' | 'sms' | 'telegram' }[];
}

export function world(w: WorldSpec = {}): ConfigSnapshot {
  const keys = (w.keys ?? []).map((k, i) => ({ id: `k${i + 1}`, status: 'active', created: '2026-01-01T00:00:00Z', fingerprint: `sha256:x…${i}`, ...k }) as ProviderKey);
  return {
    commit: 'c'.repeat(40),
    loadedAt: '',
    settings: { timeZone: 'UTC', ...(w.channels ? { notifications: { channels: w.channels } } : {}) },
    providers: new Map([['openai', { id: 'openai', policy: w.providerPolicy, keyRotationDays: w.rotationDays ?? 90 }], ['other', { id: 'other', keyRotationDays: 90 }]]),
    bindings: new Map([['chat', { name: 'chat', policy: w.bindingPolicy }], ['solo', { name: 'solo' }]]),
    policies: new Map((w.policies ?? []).map((p) => [p.name, p])),
    clients: new Map([['web', { name: 'web', policy: w.clientPolicy }], ['batch', { name: 'batch' }]]),
    keyrings: new Map([['openai', new ProviderKeyring('openai', keys)]]),
    webhooks: new Map(),
  } as unknown as ConfigSnapshot;
}
