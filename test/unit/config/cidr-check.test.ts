import { describe, it, expect } from 'vitest';
import { parseConfigFile, type ParsedFile } from '../../../server/config/parse-file.ts';
import { formatIssue } from '../../../server/config/issues.ts';
import { cidrIssues } from '../../../server/config/cidr-check.ts';

function parsed(path: string, text: string): ParsedFile {
  const r = parseConfigFile(path, Buffer.from(text));
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  return r.file;
}

describe('cidrIssues', () => {
  it('reports each bad entry of a client ipAllowlist at its own line', () => {
    const file = parsed('clients/web-app.yaml', [
      'name: web-app',
      'environment: prod',
      'ipAllowlist:',
      '  - 10.0.0.0/8',
      '  - 010.0.0.0/8',
      '  - 2001:db8::/32',
      '  - 2001:db8::/129',
      '',
    ].join('\n'));
    const issues = cidrIssues(file, file.value.ipAllowlist as string[], ['ipAllowlist']);
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^clients\/web-app\.yaml:5:5: ipAllowlist\[1\] "010\.0\.0\.0\/8" is not an IP address or CIDR range: IPv4 part "010" has a leading zero .*\[SIL_CONFIG_SCHEMA\] hint: write an address or a CIDR range/),
      expect.stringMatching(/^clients\/web-app\.yaml:7:5: ipAllowlist\[3\] "2001:db8::\/129" is not an IP address or CIDR range: prefix length 129 is out of range for IPv6 \(0-128\) \[SIL_CONFIG_SCHEMA\]/),
    ]);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('checks nested lists of sil.yaml in flow style', () => {
    const file = parsed('sil.yaml', [
      'security:',
      '  consoleIpAllowlist: [192.168.0.0/16, "fe80::1%eth0"]',
      '  trustedProxies:',
      '    - 10.0.0.1',
      '    - example.com',
      '',
    ].join('\n'));
    const security = file.value.security as { consoleIpAllowlist: string[]; trustedProxies: string[] };
    const console = cidrIssues(file, security.consoleIpAllowlist, ['security', 'consoleIpAllowlist']);
    expect(console.map(formatIssue)).toEqual([expect.stringMatching(/^sil\.yaml:2:40: security\.consoleIpAllowlist\[1\] "fe80::1%eth0" .*zone id/)]);
    const proxies = cidrIssues(file, security.trustedProxies, ['security', 'trustedProxies']);
    expect(proxies.map(formatIssue)).toEqual([expect.stringMatching(/^sil\.yaml:5:7: security\.trustedProxies\[1\] "example\.com" is not an IP address or CIDR range: "example\.com" is not an IPv4 or IPv6 address/)]);
  });

  it('warns about host bits set and names the range it is read as', () => {
    const file = parsed('clients/a.yaml', 'name: a\nenvironment: prod\nipAllowlist: [192.168.1.10/24, 192.168.1.10, "2001:db8::1/64"]\n');
    const issues = cidrIssues(file, file.value.ipAllowlist as string[], ['ipAllowlist']);
    expect(issues.map((i) => [i.line, i.column, i.severity, i.message])).toEqual([
      [3, 15, 'warning', 'ipAllowlist[0] "192.168.1.10/24" has bits set after the prefix; it is read as 192.168.1.0/24'],
      [3, 46, 'warning', 'ipAllowlist[2] "2001:db8::1/64" has bits set after the prefix; it is read as 2001:db8::/64'],
    ]);
    expect(issues[0].hint).toMatch(/192\.168\.1\.0\/24 .*\/32/);
  });

  it('returns nothing for a valid or empty list', () => {
    const file = parsed('clients/a.yaml', 'name: a\nenvironment: prod\nipAllowlist: [10.0.0.0/8, "::1", "::/0", 0.0.0.0/0]\n');
    expect(cidrIssues(file, file.value.ipAllowlist as string[], ['ipAllowlist'])).toEqual([]);
    expect(cidrIssues(file, [], ['ipAllowlist'])).toEqual([]);
  });
});
