// sil.yaml security.consoleIpAllowlist (CIDR ranges, IPv4 and IPv6) for the console pages and
// /api: an address outside it gets 403 SIL_IP_FORBIDDEN. An empty (or absent) list allows every
// address. The address is the socket peer, or what X-Forwarded-For says when the peer is one of
// security.trustedProxies (server/http/remote-address.ts); a forged header from anyone else
// changes nothing. Before any config is live, only loopback is allowed: the allowlist is unknown.
// The proxy doors and /healthz are not covered (clients have their own ipAllowlist).
import type { Context, Next } from 'koa';
import { compileAllowlist, type CompiledAllowlist } from '../../core/cidr.ts';
import { remoteAddressOf } from '../../http/remote-address.ts';
import type { LiveConfig } from '../../config/live-config.ts';
import type { Settings } from '../../config/snapshot.ts';
import { SilError } from '../../errors.ts';
import { isHealthPath, isProxyPath } from './paths.ts';

const LOOPBACK_ONLY = compileAllowlist(['127.0.0.0/8', '::1']);
const compiled = new WeakMap<Settings, CompiledAllowlist>();

export function consoleAllowlistOf(live: LiveConfig): CompiledAllowlist {
  const settings = live.snapshot?.settings;
  if (!settings) return LOOPBACK_ONLY;
  let list = compiled.get(settings);
  if (!list) {
    list = compileAllowlist(settings.security.consoleIpAllowlist ?? []);
    compiled.set(settings, list);
  }
  return list;
}

export function consoleAllowlist(live: LiveConfig, clientAddress: (ctx: Context) => string = remoteAddressOf(live), onDenied?: (ctx: Context, address: string) => void) {
  return async function checkConsoleAllowlist(ctx: Context, next: Next): Promise<void> {
    if (isProxyPath(ctx.path) || isHealthPath(ctx.path)) return next();
    const address = clientAddress(ctx);
    if (!consoleAllowlistOf(live).matches(address)) {
      onDenied?.(ctx, address);
      throw new SilError('SIL_IP_FORBIDDEN', `${address} is not in security.consoleIpAllowlist`);
    }
    await next();
  };
}
