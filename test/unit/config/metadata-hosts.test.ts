import { describe, it, expect } from 'vitest';
import { embeddedAddresses, forbiddenHostName } from '../../../server/config/metadata-hosts.ts';

describe('embeddedAddresses (what wildcard DNS would resolve a name to)', () => {
  it.each([
    ['169.254.169.254.nip.io', ['169.254.169.254']],
    ['app.10.0.0.1.nip.io', ['10.0.0.1']],
    ['app-10-0-0-1.nip.io', ['10.0.0.1']],
    ['10-0-0-1-app.sslip.io', ['10.0.0.1']],
    ['magic-c0a801fc.nip.io', ['192.168.1.252']],
    ['fd00-ec2--254.sslip.io', ['fd00:ec2::254']],
    ['www-fe80--1.sslip.io', ['fe80::1']],
    ['api.openai.com', []],
    ['1.2.3.example.com', []],
    ['256.1.1.1.nip.io', []],
  ])('%s spells %j', (host, addresses) => {
    expect(embeddedAddresses(host)).toEqual(addresses);
  });

  it('reads eight dashed groups as IPv6 (its zero runs also read as IPv4, harmlessly)', () => {
    expect(embeddedAddresses('2001-db8-0-0-0-0-0-1.sslip.io')).toContain('2001:db8::1');
  });

  it('takes the longest dashed IPv6 ending, as the wildcard DNS reads the label', () => {
    // 2001:fe80::1 is not link-local, although its tail fe80::1 would be.
    expect(embeddedAddresses('2001-fe80--1.sslip.io')).toEqual(['2001:fe80::1']);
    expect(forbiddenHostName('2001-fe80--1.sslip.io')).toBeUndefined();
  });
});

describe('forbiddenHostName', () => {
  it('names the metadata services, with or without the final dot', () => {
    for (const host of ['metadata.google.internal', 'metadata.google.internal.', 'metadata', 'instance-data', 'metadata.azure.com']) {
      expect(forbiddenHostName(host), host).toMatch(/^a cloud metadata endpoint \(.* is the metadata service's name\)$/);
    }
  });

  it('says which address a wildcard-DNS name spells', () => {
    expect(forbiddenHostName('169-254-169-254.sslip.io')).toBe('a cloud metadata endpoint (169-254-169-254.sslip.io spells 169.254.169.254, and wildcard DNS such as nip.io or sslip.io resolves it there)');
    expect(forbiddenHostName('169.254.7.7.nip.io')).toMatch(/^a link-local address \(169\.254\.7\.7\.nip\.io spells 169\.254\.7\.7,/);
  });
});
