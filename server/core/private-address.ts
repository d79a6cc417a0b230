// Provider base URLs must not reach the hosting platform's own services: link-local addresses
// (169.254.0.0/16, fe80::/10) and the cloud metadata endpoints (169.254.169.254 on AWS, GCP and
// Azure, fd00:ec2::254 on AWS over IPv6, 100.100.100.200 on Alibaba Cloud). A provider whose
// host resolves to one of them is refused unless sil.yaml says security.allowPrivateBaseUrls.
//
// Loopback (127.0.0.0/8, ::1) and the private ranges (10/8, 172.16/12, 192.168/16, fc00::/7)
// stay allowed: self-hosted providers and the tests' mock providers live there, and the hub
// itself can reach them anyway. What is refused is what a hub never needs and an attacker who
// can edit a provider would love to read (instance credentials).
//
// IPv4 link-local addresses are also caught inside IPv6 forms that reach them: IPv4-mapped
// (::ffff:169.254.169.254, the same address to cidr.ts), NAT64 (64:ff9b::/96) and 6to4
// (2002:a9fe::/32).
//
// The check is made when a provider is added or edited (the admin API calls checkBaseUrl), and
// again by the proxy at every new upstream connection (server/proxy/guarded-lookup.ts), so a
// name that resolved to a public address then and moved later (DNS rebinding) is refused too.
import { compileAllowlist, parseAddress, formatAddress, type Ip } from './cidr.ts';
import { SilError } from '../errors.ts';

const LINK_LOCAL = compileAllowlist(['169.254.0.0/16', 'fe80::/10', '64:ff9b::a9fe:0/112', '2002:a9fe::/32']);
const METADATA = compileAllowlist(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '169.254.170.2', '64:ff9b::a9fe:a9fe']);

export type AddressClass = 'metadata' | 'link-local' | 'other';

/** What kind of address this is; an unparseable address is 'other'. */
export function classifyAddress(address: string | Ip): AddressClass {
  if (METADATA.contains(address)) return 'metadata';
  if (LINK_LOCAL.contains(address)) return 'link-local';
  return 'other';
}

export const isLinkLocal = (address: string | Ip): boolean => LINK_LOCAL.contains(address);
export const isMetadata = (address: string | Ip): boolean => METADATA.contains(address);
/** Link-local or metadata: refused as a provider address unless explicitly allowed. */
export const isForbiddenProviderAddress = (address: string | Ip): boolean => classifyAddress(address) !== 'other';

/** dns.promises.lookup(host, { all: true }) or a stand-in. */
export type Resolve = (host: string) => Promise<readonly { address: string; family: number }[]>;

export interface BaseUrlCheckOptions {
  /** sil.yaml security.allowPrivateBaseUrls: when true, every resolvable host passes. */
  allowPrivate: boolean;
  resolve: Resolve;
}

export type BaseUrlCheck =
  | { ok: true; host: string; addresses: string[]; warning?: string }
  | { ok: false; host: string; reason: string; address?: string };

/** The default resolver: every address of the name, as the operating system resolves it. */
export const systemResolve: Resolve = async (host) => {
  const { lookup } = await import('node:dns/promises');
  return lookup(host, { all: true, verbatim: true });
};

/**
 * Resolves the URL's host (a literal address is taken as it is) and refuses it when any of its
 * addresses is link-local or a metadata endpoint, unless `allowPrivate`. A URL that does not
 * parse or is not http(s) is refused too. A name that does not resolve now (offline, or known
 * only to the production network) passes with a `warning`: there is nothing to check yet.
 */
export async function checkBaseUrl(url: string, opts: BaseUrlCheckOptions): Promise<BaseUrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, host: '', reason: `"${url}" is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, host: parsed.hostname, reason: `the URL scheme is ${parsed.protocol} (http: or https: expected)` };
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host === '') return { ok: false, host, reason: 'the URL has no host' };
  const literal = parseAddress(host);
  let addresses: string[];
  if (literal) {
    addresses = [formatAddress(literal)];
  } else {
    try {
      addresses = (await opts.resolve(host)).map((a) => a.address);
    } catch (err) {
      // Offline, or a name only the production network knows: nothing to refuse yet.
      return { ok: true, host, addresses: [], warning: `${host} does not resolve now (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its addresses were not checked` };
    }
  }
  if (opts.allowPrivate) return { ok: true, host, addresses };
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'other') {
      const what = kind === 'metadata' ? 'a cloud metadata endpoint' : 'a link-local address';
      const shown = literal ? address : `${host} resolves to ${address}, `;
      return { ok: false, host, address, reason: literal ? `${shown} is ${what}` : `${shown}${what}` };
    }
  }
  return { ok: true, host, addresses };
}

/** checkBaseUrl that throws SIL_BASE_URL_FORBIDDEN (400) with the reason, for the admin API. */
export async function assertBaseUrl(url: string, opts: BaseUrlCheckOptions): Promise<string[]> {
  const r = await checkBaseUrl(url, opts);
  if (!r.ok) throw new SilError('SIL_BASE_URL_FORBIDDEN', `provider base URL refused: ${r.reason}`);
  return r.addresses;
}
