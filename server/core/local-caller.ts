// Is the caller on this machine? Loopback callers may see what the hub keeps from the public
// (e.g. /healthz's rejected-commit messages, which name files and values).
//
// `address` is who the hub believes the caller is (remote-address.ts: the socket peer, or what
// trusted proxies recorded in X-Forwarded-For). A loopback peer that sends forwarding headers
// the hub did not resolve is a reverse proxy on this machine that sil.yaml does not list in
// security.trustedProxies: it relays someone else, so the caller is not taken as local.
import { compileAllowlist, formatAddress, parseAddress } from './cidr.ts';

const LOOPBACK = compileAllowlist(['127.0.0.0/8', '::1']);

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

export const isLoopback = (address: string): boolean => LOOPBACK.contains(address);

/** True when the request carries a header by which a proxy names the client it relays. */
export function isForwarded(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return FORWARDING_HEADERS.some((h) => headers[h] !== undefined);
}

function canonical(address: string): string {
  const ip = parseAddress(address);
  return ip ? formatAddress(ip) : address;
}

export function isLocalCaller(peer: string, address: string, forwarded: boolean): boolean {
  if (!isLoopback(address)) return false;
  // Forwarding headers left unresolved (the address is still the peer's): a relay, not a local caller.
  return !(forwarded && canonical(peer) === canonical(address));
}
