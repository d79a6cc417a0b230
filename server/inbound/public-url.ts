// The URL the provider called, as it signed it (Twilio signs the full URL): the request's own
// path and query as sent, with the scheme and host the caller used. Behind a reverse proxy that
// terminates TLS, X-Forwarded-Proto and X-Forwarded-Host say what they were, and are believed
// only when the peer is one of sil.yaml's security.trustedProxies.
import type { CompiledAllowlist } from '../core/cidr.ts';
import { parseAddress } from '../core/cidr.ts';

const first = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined;

export function publicUrl(opts: { peer: string; rawUrl: string; host: string | undefined; forwardedProto?: string; forwardedHost?: string; trusted: CompiledAllowlist; encrypted: boolean }): string {
  const peer = parseAddress(opts.peer);
  const trusted = peer !== undefined && opts.trusted.contains(peer);
  let proto = opts.encrypted ? 'https' : 'http';
  let host = opts.host ?? 'localhost';
  if (trusted) {
    const fp = first(opts.forwardedProto)?.toLowerCase();
    if (fp === 'http' || fp === 'https') proto = fp;
    host = first(opts.forwardedHost) ?? host;
  }
  return `${proto}://${host}${opts.rawUrl}`;
}
