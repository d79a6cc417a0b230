// Who the client is: the socket peer, or, when the peer is a trusted reverse proxy, the address
// that proxy (and any trusted proxies before it) recorded in X-Forwarded-For.
//
// Each proxy appends the address it received the request from to the right of the header, so
// only entries added by trusted proxies are believable. The walk goes from the right, skipping
// trusted proxies, and stops at the first address that is not one: everything left of it was
// written by that (untrusted) party and may be forged.
//
// - The peer is not a trusted proxy (or the trusted list is empty): the header is ignored.
// - Every entry is a trusted proxy: the leftmost one is the client (the nearest address known).
// - A malformed entry stops the walk: the result is the last well-formed hop reached (a trusted
//   proxy), or the peer when the rightmost entry is already malformed. Nothing left of a
//   malformed entry is trusted.
// - Empty list elements (`a,,b`, a trailing comma) are skipped, as HTTP list syntax requires.
// - Entries may carry a port (`1.2.3.4:5678`, `[2001:db8::1]:443`) or brackets (`[2001:db8::1]`),
//   which some proxies add; zone ids are stripped. Anything else (`unknown`, obfuscated
//   identifiers of RFC 7239) is malformed.
//
// The result is in canonical form (see formatAddress): `::ffff:10.0.0.1` becomes `10.0.0.1`,
// `2001:DB8:0::1` becomes `2001:db8::1`, so one client has one spelling in logs and limits.
// A peer address that does not parse (it should not happen) is returned as given.
import { parseAddress, formatAddress, type CompiledAllowlist, type Ip } from './cidr.ts';

/** Longest X-Forwarded-For entry considered; longer entries are malformed. */
const MAX_HOP = 100;

/** One X-Forwarded-For entry, without surrounding white space, as an address. */
export function parseForwardedHop(entry: string): Ip | undefined {
  if (entry.length > MAX_HOP) return undefined;
  if (entry.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
    if (!m || !m[1].includes(':') || (m[2] !== undefined && Number(m[2]) > 65535)) return undefined;
    return parseAddress(m[1]);
  }
  const v4port = /^([\d.]+):(\d{1,5})$/.exec(entry);
  if (v4port) return Number(v4port[2]) > 65535 ? undefined : parseAddress(v4port[1]);
  return parseAddress(entry);
}

export function clientAddress(remoteAddress: string, forwardedFor: string | undefined, trusted: CompiledAllowlist): string {
  const peer = parseAddress(remoteAddress);
  if (!peer) return remoteAddress;
  if (!forwardedFor || !trusted.contains(peer)) return formatAddress(peer);
  const hops = forwardedFor.split(',');
  let last: Ip = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const entry = hops[i].trim();
    if (entry === '') continue;
    const hop = parseForwardedHop(entry);
    if (!hop) break;
    last = hop;
    if (!trusted.contains(hop)) break;
  }
  return formatAddress(last);
}
