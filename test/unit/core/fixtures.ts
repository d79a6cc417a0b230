// Small hand-built snapshot pieces for the failover core tests: no git, no catalog.
import type { AuthScheme, ProviderKey, ProviderTemplate } from '../../../schemas/types.gen.ts';
import type { CompiledBinding, CompiledProvider, CompiledService, CompiledTarget } from '../../../server/config/snapshot.ts';
import { ProviderKeyring } from '../../../server/vault/provider-keyring.ts';

/** A fake clock: `now()` for the code under test, `advance(ms)` for the test. */
export function fakeClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; }, set: (ms) => { t = ms; } };
}

/** mulberry32: a seeded uniform generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function service(id: string, over: Partial<CompiledService> = {}): CompiledService {
  return {
    id, protocol: 'openai-chat', enabled: true, baseUrl: `https://${id}.test/v1`, path: '/chat/completions',
    auth: { type: 'bearer', token: '${secret.apiKey}' } as AuthScheme,
    headers: {}, query: {}, retrySafe: false, models: new Map(), ...over,
  };
}

export function provider(id: string, over: Partial<CompiledProvider> = {}): CompiledProvider {
  const services = over.services ?? [service('chat')];
  return {
    id, name: id, category: 'AI', environment: 'prod', enabled: true, template: null,
    definition: { name: id, category: 'AI', baseUrl: `https://${id}.test`, auth: services[0].auth, services: [{ id: 'chat', protocol: 'openai-chat', path: '/' }] } as ProviderTemplate,
    connection: {}, auth: services[0].auth, baseUrl: `https://${id}.test`, services, tags: [], keyRotationDays: 90, ...over,
  };
}

type KeySpec = { id: string; status?: ProviderKey['status']; default?: boolean };

/** A keyring whose keys are active unless said otherwise; the first is the default unless one says so. */
export function keyring(providerId: string, keys: readonly (string | KeySpec)[]): ProviderKeyring {
  const specs = keys.map((k) => (typeof k === 'string' ? { id: k } : k));
  const hasDefault = specs.some((k) => k.default);
  return new ProviderKeyring(providerId, specs.map((k, i) => ({
    id: k.id, status: k.status ?? 'active', default: k.default ?? (!hasDefault && i === 0),
    created: '2026-01-01T00:00:00Z', fingerprint: `sha256:${k.id}`, secret: { apiKey: `sk-${k.id}` },
  })));
}

export function target(providerId: string, over: Partial<CompiledTarget> = {}): CompiledTarget {
  return { provider: providerId, service: 'chat', weight: 1, ...over };
}

export function binding(targets: readonly CompiledTarget[], over: Partial<CompiledBinding> & { maxAttempts?: number } = {}): CompiledBinding {
  const { maxAttempts, ...rest } = over;
  return {
    name: 'chat', environment: 'prod', enabled: true, protocol: 'openai-chat', strategy: 'priority', targets,
    failover: { on: ['connect-error', 'timeout', '429', '5xx'], maxAttempts: maxAttempts ?? Math.min(3, targets.length), timeoutMs: 30_000, backoffMs: 0 },
    ...rest,
  };
}

/** Providers `ids`, each with one enabled `chat` service and a keyring of one key `<id>-k1`. */
export function world(ids: readonly string[]): { providers: Map<string, CompiledProvider>; keyrings: Map<string, ProviderKeyring> } {
  return {
    providers: new Map(ids.map((id) => [id, provider(id)])),
    keyrings: new Map(ids.map((id) => [id, keyring(id, [`${id}-k1`])])),
  };
}
