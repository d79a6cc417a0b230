// The caller's address: the socket peer, or what X-Forwarded-For says when the peer is one of
// sil.yaml's security.trustedProxies.
import type { Context } from 'koa';
import { compileAllowlist, type CompiledAllowlist } from '../core/cidr.ts';
import { clientAddress } from '../core/client-ip.ts';
import type { LiveConfig } from '../config/live-config.ts';
import type { Settings } from '../config/snapshot.ts';

const compiled = new WeakMap<Settings, CompiledAllowlist>();

export function remoteAddressOf(live: LiveConfig) {
  return (ctx: Context): string => {
    const settings = live.snapshot?.settings;
    const peer = ctx.req.socket.remoteAddress ?? '';
    if (!settings) return peer;
    let trusted = compiled.get(settings);
    if (!trusted) {
      trusted = compileAllowlist(settings.security.trustedProxies ?? []);
      compiled.set(settings, trusted);
    }
    return clientAddress(peer, ctx.get('x-forwarded-for') || undefined, trusted);
  };
}
