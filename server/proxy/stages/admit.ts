// Stage: admission. The client's IP allowlist (CIDR, v4 and v6), then the limits of the client's
// and the binding's policies (rate, request and token quotas, blocking budgets: server/limits).
// Synchronous with the in-memory counters; a Promise only when the counter store answers with one.
import type { Context } from 'koa';
import { compileAllowlist, type CompiledAllowlist } from '../../core/cidr.ts';
import { proxyError } from '../proxy-error.ts';
import type { ProxyState } from '../proxy-state.ts';
import type { Client } from '../../../schemas/types.gen.ts';
import type { ProxyLimits, Refusal } from '../../limits/limiter.ts';

const compiled = new WeakMap<Client, CompiledAllowlist>();

export function admit(remoteAddress: (ctx: Context) => string, limits?: ProxyLimits) {
  return function admitStage(ctx: Context, state: ProxyState): void | Promise<void> {
    const client = state.client!;
    let list = compiled.get(client);
    if (!list) {
      list = compileAllowlist(client.ipAllowlist ?? []);
      compiled.set(client, list);
    }
    if (!list.empty && !list.matches(remoteAddress(ctx))) throw proxyError('SIL_PROXY_FORBIDDEN', 'this client may not call from this address');
    if (!limits) return;
    const refusal = limits.admit(state);
    if (refusal instanceof Promise) {
      return refusal.then((r: Refusal | null) => {
        if (r) throw limits.refuse(state, r);
      });
    }
    if (refusal) throw limits.refuse(state, refusal);
  };
}
