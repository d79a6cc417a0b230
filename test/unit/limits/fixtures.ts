// A minimal snapshot and proxy state for limiter tests: a client, a binding, providers and
// policies, no git, no HTTP.
import type { ConfigSnapshot } from '../../../server/config/snapshot.ts';
import type { ProxyState } from '../../../server/proxy/proxy-state.ts';
import type { Policy } from '../../../schemas/types.gen.ts';

export interface World {
  clientPolicy?: string;
  bindingPolicy?: string;
  providerPolicies?: Record<string, string>;
  policies: Policy[];
  timeZone?: string;
}

export function snapshotOf(w: World): ConfigSnapshot {
  const providers = new Map(['a', 'b'].map((id) => [id, { id, policy: w.providerPolicies?.[id] }]));
  return {
    commit: 'c'.repeat(40),
    loadedAt: '',
    settings: { timeZone: w.timeZone ?? 'UTC' },
    providers,
    bindings: new Map([['chat', { name: 'chat', protocol: 'openai-chat', policy: w.bindingPolicy }]]),
    policies: new Map(w.policies.map((p) => [p.name, p])),
    clients: new Map([['web', { name: 'web', policy: w.clientPolicy }]]),
  } as unknown as ConfigSnapshot;
}

let n = 0;
export function stateOf(snapshot: ConfigSnapshot, json: Record<string, unknown> = { max_tokens: 100 }, bodyBytes = 40): ProxyState {
  return {
    requestId: `r${++n}`,
    startedAt: 0,
    door: 'unified',
    snapshot,
    client: snapshot.clients.get('web') as ProxyState['client'],
    binding: snapshot.bindings.get('chat'),
    model: undefined,
    body: Buffer.alloc(bodyBytes),
    json,
    subPath: undefined,
    attempts: [],
    failoverReasons: [],
    answered: false,
    admission: undefined,
  };
}

export const usage = (requestId: string, provider: string, tokens: number | undefined, cost?: number) => ({
  requestId, at: 0, client: 'web', binding: 'chat', provider, keyId: 'k', status: 200, latencyMs: 1, attempts: 1,
  usage: tokens === undefined ? {} : { totalTokens: tokens }, ...(cost === undefined ? {} : { cost, currency: 'USD' }),
});

export const outcomeOf = (requestId: string, answered: boolean) => ({
  requestId, at: 0, client: 'web', binding: 'chat', door: 'unified' as const, status: answered ? 200 : 502, latencyMs: 1, attempts: 1, failovers: 0, attemptRecords: [], answered,
});
