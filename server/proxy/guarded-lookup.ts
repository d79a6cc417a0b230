// The address check again when the proxy connects: every new upstream connection resolves the
// provider's host name, and a link-local or cloud-metadata address is refused before anything is
// sent. The check made when a provider is saved (server/core/private-address.ts) saw the
// addresses of that moment; a name can point elsewhere later (DNS rebinding), and the proxy
// sends provider keys to whatever it connects to. Literal addresses are not looked up: the
// validator refuses forbidden ones in config already.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isForbiddenProviderAddress } from '../core/private-address.ts';

/** The signature net.connect and tls.connect call (`all` gives a list of addresses). */
export type LookupFn = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export const FORBIDDEN_ADDRESS = 'SIL_FORBIDDEN_ADDRESS';

export interface GuardOptions {
  /** sil.yaml security.allowPrivateBaseUrls, read at each connection. */
  allowPrivate: () => boolean;
  /** dns.lookup unless given (tests). */
  lookup?: LookupFn;
  onRefused?: (host: string, address: string) => void;
}

export function guardedLookup(opts: GuardOptions): LookupFn {
  const base: LookupFn = opts.lookup ?? (dnsLookup as unknown as LookupFn);
  return (hostname, options, callback) => {
    base(hostname, options, (err, address, family) => {
      if (err || opts.allowPrivate()) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const forbidden = addresses.find((a) => isForbiddenProviderAddress(a));
      if (forbidden === undefined) return callback(null, address, family);
      opts.onRefused?.(hostname, forbidden);
      const refusal = new Error(`${hostname} resolves to ${forbidden}, a link-local or cloud metadata address: not connected`) as NodeJS.ErrnoException;
      refusal.code = FORBIDDEN_ADDRESS;
      callback(refusal, address, family);
    });
  };
}
