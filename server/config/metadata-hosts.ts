// Host names that lead to the cloud metadata service or to a link-local address without being
// an address literal, refused by name so that a provider cannot be pointed there even where the
// name does not resolve at validation time (offline, a CI runner, another cloud):
//
// - the metadata services' own names (GCP, AWS, Azure, Tencent);
// - names that embed a link-local or metadata address, which wildcard DNS services (nip.io,
//   sslip.io, traefik.me and any look-alike) resolve to that address: dotted
//   `169.254.169.254.nip.io`, dashed `app-169-254-169-254.sslip.io`, nip.io's hex form
//   `a9fea9fe.nip.io`, and sslip.io's dashed IPv6 `fd00-ec2--254.sslip.io`.
//
// Only link-local and metadata addresses are refused, as for literals (private-address.ts):
// a name embedding a public, private or loopback address (`127.0.0.1.nip.io`) passes, as the
// address itself would. Numeric spellings of the URL host itself (`2852039166`, `0xa9fea9fe`,
// `[::ffff:169.254.169.254]`) need nothing here: the URL parser turns them into the address.
import { parseAddress, formatAddress } from '../core/cidr.ts';
import { classifyAddress } from '../core/private-address.ts';

const METADATA_NAMES = new Set([
  'metadata', 'metadata.google.internal', 'metadata.goog', // Google Cloud
  'instance-data', 'instance-data.ec2.internal', // AWS
  'metadata.azure.com', // Azure
  'metadata.tencentyun.com', // Tencent Cloud
]);

const DECIMAL = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

/** Addresses a host name spells inside its labels (the wildcard-DNS forms above). */
export function embeddedAddresses(host: string): string[] {
  const labels = host.split('.');
  const found = new Set<string>();
  const add = (text: string) => {
    const ip = parseAddress(text);
    if (ip) found.add(formatAddress(ip));
  };
  for (let i = 0; i + 4 <= labels.length; i++) {
    const four = labels.slice(i, i + 4);
    if (four.every((l) => DECIMAL.test(l))) add(four.join('.'));
  }
  for (const label of labels) {
    const parts = label.split('-');
    for (let i = 0; i < parts.length; i++) {
      if (i + 4 <= parts.length && parts.slice(i, i + 4).every((p) => DECIMAL.test(p))) add(parts.slice(i, i + 4).join('.'));
      if (/^[0-9a-f]{8}$/.test(parts[i])) add(parts[i].match(/../g)!.map((h) => parseInt(h, 16)).join('.'));
    }
    // Dashed IPv6 (dashes for colons) ends the label, after an optional `prefix-`: the longest
    // ending that reads as an address is the one the wildcard DNS answers.
    if (label.includes('--') || parts.length === 8) {
      for (let i = 0; i < parts.length - 1; i++) {
        const ip = parseAddress(parts.slice(i).join(':'));
        if (ip) {
          found.add(formatAddress(ip));
          break;
        }
      }
    }
  }
  return [...found];
}

/** Why a (lower-case) URL host name leads to a metadata or link-local address; undefined when it does not. */
export function forbiddenHostName(hostname: string): string | undefined {
  const host = hostname.replace(/\.$/, '');
  if (METADATA_NAMES.has(host)) return `a cloud metadata endpoint (${host} is the metadata service's name)`;
  for (const address of embeddedAddresses(host)) {
    const kind = classifyAddress(address);
    if (kind === 'other') continue;
    const what = kind === 'metadata' ? 'a cloud metadata endpoint' : 'a link-local address';
    return `${what} (${host} spells ${address}, and wildcard DNS such as nip.io or sslip.io resolves it there)`;
  }
  return undefined;
}
