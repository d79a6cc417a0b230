// The addresses to print for a hub. Listening on every interface (--host 0.0.0.0 or ::), its own
// URL `http://0.0.0.0:8080` opens nothing in a browser on another machine: print the loopback
// address and the machine's own network addresses instead.
import type { NetworkInterfaceInfo } from 'node:os';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

// '' too: Node listens on every interface for an empty host.
const UNSPECIFIED = new Set(['', '0.0.0.0', '::', '[::]', '::0', '0:0:0:0:0:0:0:0']);

export function isUnspecifiedHost(host: string): boolean {
  return UNSPECIFIED.has(host);
}

const urlOf = (address: string, port: number) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

/**
 * The URLs a browser can use for a hub listening on `host:port`: for 0.0.0.0, 127.0.0.1 and the
 * non-internal IPv4 addresses; for ::, [::1] and the non-internal addresses of both families
 * (IPv4 through the dual-stack socket; link-local IPv6 is left out: browsers cannot open it).
 * For any other host, that host's URL.
 */
export function reachableUrls(host: string, port: number, interfaces: Interfaces): string[] {
  if (!isUnspecifiedHost(host)) return [urlOf(host.replace(/^\[(.*)\]$/, '$1'), port)];
  const v6 = host !== '0.0.0.0';
  const addresses: NetworkInterfaceInfo[] = Object.values(interfaces).flatMap((infos) => infos ?? []);
  const wanted = (a: NetworkInterfaceInfo) => !a.internal && (a.family === 'IPv4' || (v6 && !/^fe[89ab]/i.test(a.address)));
  const byFamily = (family: string) => addresses.filter((a) => wanted(a) && a.family === family).map((a) => urlOf(a.address, port));
  return [...new Set([urlOf(v6 ? '::1' : '127.0.0.1', port), ...byFamily('IPv4'), ...byFamily('IPv6')])];
}
