import { describe, it, expect } from 'vitest';
import { compileAllowlist } from '../../../server/core/cidr.ts';
import { clientAddress, parseForwardedHop } from '../../../server/core/client-ip.ts';

const proxies = compileAllowlist(['10.0.0.0/8', '2001:db8:1::/48']);

describe('clientAddress', () => {
  it('returns the peer when there is no header', () => {
    expect(clientAddress('203.0.113.7', undefined, proxies)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', ' , ', proxies)).toBe('10.0.0.2');
  });

  it('ignores a forged header from an untrusted peer', () => {
    expect(clientAddress('203.0.113.7', '10.0.0.5', proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7', '198.51.100.1, 10.0.0.5', proxies)).toBe('203.0.113.7');
  });

  it('trusts nobody when the trusted list is empty (not "everybody")', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1', compileAllowlist([]))).toBe('10.0.0.2');
  });

  it('takes the rightmost entry from a trusted proxy', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.0.0.2', '198.51.100.1', proxies)).toBe('198.51.100.1');
  });

  it('stops at the first untrusted hop, so entries a client forged to its left are ignored', () => {
    // The client sent "X-Forwarded-For: 10.0.0.9, 1.1.1.1"; the edge proxy appended the real address.
    expect(clientAddress('10.0.0.2', '10.0.0.9, 1.1.1.1, 198.51.100.1', proxies)).toBe('198.51.100.1');
  });

  it('skips a chain of trusted proxies', () => {
    expect(clientAddress('10.0.0.3', '198.51.100.1, 10.0.0.1, 10.0.0.2', proxies)).toBe('198.51.100.1');
    expect(clientAddress('2001:db8:1::3', '2001:db8:2::1, 10.1.1.1, 2001:db8:1::9', proxies)).toBe('2001:db8:2::1');
  });

  it('returns the leftmost entry when every hop is a trusted proxy', () => {
    expect(clientAddress('10.0.0.3', '10.0.0.1, 10.0.0.2', proxies)).toBe('10.0.0.1');
  });

  it('stops at a malformed entry: last well-formed hop reached, or the peer', () => {
    expect(clientAddress('10.0.0.3', 'garbage', proxies)).toBe('10.0.0.3');
    expect(clientAddress('10.0.0.3', '198.51.100.1, unknown', proxies)).toBe('10.0.0.3');
    expect(clientAddress('10.0.0.3', '198.51.100.1, 010.0.0.1, 10.0.0.2', proxies)).toBe('10.0.0.2');
    // the untrusted hop right of the junk is the answer; the junk is never reached
    expect(clientAddress('10.0.0.3', 'junk, 198.51.100.1, 10.0.0.2', proxies)).toBe('198.51.100.1');
  });

  it('skips empty list elements', () => {
    expect(clientAddress('10.0.0.3', '198.51.100.1,,10.0.0.2, ', proxies)).toBe('198.51.100.1');
  });

  it('accepts ports, brackets and zone ids in entries, and returns canonical text', () => {
    expect(clientAddress('10.0.0.3', '198.51.100.1:5678', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.3', '[2001:DB8:2:0::1]:443', proxies)).toBe('2001:db8:2::1');
    expect(clientAddress('10.0.0.3', '[2001:db8:2::1]', proxies)).toBe('2001:db8:2::1');
    expect(clientAddress('10.0.0.3', 'fe80::1%eth0', proxies)).toBe('fe80::1');
    expect(clientAddress('10.0.0.3', '::ffff:198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('2001:DB8:3::0:1', undefined, proxies)).toBe('2001:db8:3::1');
  });

  it('returns an unparseable peer as given', () => {
    expect(clientAddress('not-an-ip', '198.51.100.1', proxies)).toBe('not-an-ip');
  });
});

describe('parseForwardedHop', () => {
  it('refuses what is not an address', () => {
    for (const bad of ['unknown', '_hidden', '[1.2.3.4]', '[::1', '::1]', '[::1]:99999', '1.2.3.4:99999', '1.2.3.4:', '[::1]:', 'x'.repeat(200), '1.2.3.4 5.6.7.8']) {
      expect(parseForwardedHop(bad), bad).toBeUndefined();
    }
  });
});
