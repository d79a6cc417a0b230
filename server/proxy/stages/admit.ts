// Stage: admission. The client's IP allowlist (CIDR, v4 and v6). Rate limits, quotas and
// budgets join here with the policies of the proxy issue.
import type { Context } from 'koa';
import { compileAllowlist, type CompiledAllowlist } from '../../core/cidr.ts';
import { proxyError } from '../proxy-error.ts';
import type { ProxyState } from '../proxy-state.ts';
import type { Client } from '../../../schemas/types.gen.ts';

const compiled = new WeakMap<Client, CompiledAllowlist>();

export function admit(remoteAddress: (ctx: Context) => string) {
  return function admitStage(ctx: Context, state: ProxyState): void {
    const client = state.client!;
    let list = compiled.get(client);
    if (!list) {
      list = compileAllowlist(client.ipAllowlist ?? []);
      compiled.set(client, list);
    }
    if (!list.empty && !list.matches(remoteAddress(ctx))) throw proxyError('SIL_PROXY_FORBIDDEN', 'this client may not call from this address');
  };
}
