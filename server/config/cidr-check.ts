// Checks a list of CIDR ranges in a config file (a client's ipAllowlist, sil.yaml's
// security.consoleIpAllowlist and security.trustedProxies): an entry that does not parse is an
// error at its own line; a range with host bits set (`10.1.2.3/8`, read as `10.0.0.0/8`) is a
// warning, since it often means a single address (/32) was intended.
import { parseCidr } from '../core/cidr.ts';
import { issue, type ConfigIssue } from './issues.ts';
import type { ParsedFile } from './parse-file.ts';

const HINT = 'write an address or a CIDR range: 10.0.0.0/8, 192.168.1.5, 2001:db8::/32 or ::1';

/** `at` is the path of the list in the file, e.g. ['ipAllowlist'] or ['security', 'trustedProxies']. */
export function cidrIssues(file: ParsedFile, values: readonly string[], at: (string | number)[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const label = at.join('.');
  values.forEach((value, i) => {
    if (typeof value !== 'string') return; // reported by the schema check
    const r = parseCidr(value);
    if (!r.ok) {
      out.push(issue(file.path, file.at([...at, i]), 'SIL_CONFIG_SCHEMA', `${label}[${i}] ${JSON.stringify(value)} is not an IP address or CIDR range: ${r.reason}`, HINT));
    } else if (r.range.hostBitsSet) {
      const single = r.range.family === 4 ? '/32' : '/128';
      out.push(issue(file.path, file.at([...at, i]), 'SIL_CONFIG_SCHEMA', `${label}[${i}] ${JSON.stringify(value)} has bits set after the prefix; it is read as ${r.range.text}`, `write ${r.range.text} for the range, or the address alone (or ${single}) for a single address`, 'warning'));
    }
  });
  return out;
}
