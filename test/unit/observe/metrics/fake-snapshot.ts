// The parts of a ConfigSnapshot the metrics read: provider ids with their services and models,
// binding names with target models, policy names, settings.
import type { ConfigSnapshot, Settings } from '../../../../server/config/snapshot.ts';

export function fakeSnapshot(opts: {
  providers?: Record<string, Record<string, string[]>>;
  bindings?: Record<string, string[]>;
  policies?: string[];
  settings?: Partial<Settings>;
} = {}): ConfigSnapshot {
  const providers = new Map(Object.entries(opts.providers ?? {}).map(([id, services]) => [id, {
    id,
    services: Object.entries(services).map(([sid, models]) => ({ id: sid, models: new Map(models.map((m) => [m, { id: m }])) })),
  }]));
  const bindings = new Map(Object.entries(opts.bindings ?? {}).map(([name, models]) => [name, { name, targets: models.map((model) => ({ provider: 'x', service: 'y', model, weight: 1 })) }]));
  return {
    commit: 'c'.repeat(40),
    loadedAt: '2026-01-01T00:00:00.000Z',
    settings: { security: {}, defaults: {}, ...opts.settings },
    providers,
    bindings,
    policies: new Map((opts.policies ?? []).map((p) => [p, { name: p }])),
    clients: new Map(),
    webhooks: new Map(),
    secretFiles: new Map(),
    keyrings: new Map(),
    warnings: [],
  } as unknown as ConfigSnapshot;
}
