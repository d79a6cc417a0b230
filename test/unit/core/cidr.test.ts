import { describe, it, expect } from 'vitest';
import { isIP } from 'node:net';
import { parseAddress, parseCidr, formatAddress, compileAllowlist, isIPv4 } from '../../../server/core/cidr.ts';

const fmt = (text: string) => {
  const ip = parseAddress(text);
  return ip ? formatAddress(ip) : undefined;
};
const range = (text: string) => {
  const r = parseCidr(text);
  return r.ok ? r.range.text : `error: ${r.reason}`;
};
const reason = (text: string) => {
  const r = parseCidr(text);
  return r.ok ? undefined : r.reason;
};

describe('parseAddress', () => {
  it('parses IPv4 into the IPv4-mapped 128-bit form', () => {
    expect(parseAddress('10.0.0.1')).toEqual([0, 0, 0xffff, 0x0a000001]);
    expect(parseAddress('255.255.255.255')).toEqual([0, 0, 0xffff, 0xffffffff]);
    expect(parseAddress('0.0.0.0')).toEqual([0, 0, 0xffff, 0]);
    expect(parseAddress('::ffff:10.0.0.1')).toEqual(parseAddress('10.0.0.1'));
    expect(parseAddress('::FFFF:a00:1')).toEqual(parseAddress('10.0.0.1'));
    expect(isIPv4(parseAddress('::ffff:10.0.0.1')!)).toBe(true);
    expect(isIPv4(parseAddress('::1')!)).toBe(false);
  });

  it('refuses IPv4 with leading zeros, short forms, big parts and junk', () => {
    for (const bad of ['010.0.0.1', '10.0.0.01', '00.1.2.3', '10.1', '10.0.0', '1.2.3.4.5', '256.0.0.1', '1.2.3.-1', '1..2.3', '1.2.3.4.', ' 1.2.3.4', '1.2.3.4 ', '0x7f.0.0.1', '1e2.0.0.1', '', 'localhost', '1.2.3.4:80', '[::1]']) {
      expect(parseAddress(bad), bad).toBeUndefined();
    }
    expect(reason('010.0.0.1')).toMatch(/leading zero .*octal/);
    expect(reason('1.2.3.256')).toMatch(/larger than 255/);
    expect(reason('1.2.3.4:80')).toMatch(/port/);
  });

  it('parses the :: forms of IPv6', () => {
    expect(parseAddress('::')).toEqual([0, 0, 0, 0]);
    expect(parseAddress('::1')).toEqual([0, 0, 0, 1]);
    expect(parseAddress('1::')).toEqual([0x00010000, 0, 0, 0]);
    expect(parseAddress('2001:db8::1')).toEqual([0x20010db8, 0, 0, 1]);
    expect(parseAddress('2001:DB8:0:0:0:0:0:1')).toEqual([0x20010db8, 0, 0, 1]);
    expect(parseAddress('1:2:3:4:5:6:7::')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x00070000]);
    expect(parseAddress('::2:3:4:5:6:7:8')).toEqual([0x00000002, 0x00030004, 0x00050006, 0x00070008]);
    expect(parseAddress('0001:0db8::00ff')).toEqual([0x00010db8, 0, 0, 0xff]);
    expect(parseAddress('1:2:3:4:5:6:1.2.3.4')).toEqual([0x00010002, 0x00030004, 0x00050006, 0x01020304]);
    expect(parseAddress('::1.2.3.4')).toEqual([0, 0, 0, 0x01020304]); // IPv4-compatible, not mapped
    expect(isIPv4(parseAddress('::1.2.3.4')!)).toBe(false);
  });

  it('refuses malformed IPv6', () => {
    for (const bad of [':::', '1:::2', '1::2::3', ':1::', '::1:', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', '12345::', 'g::', '1.2.3.4::', '::1.2.3.4:1', '1:2:3:4:5:6::1.2.3.4', '::ffff:01.2.3.4', '::ffff:1.2.3', '2001:db8::1/64', '%eth0', '::1%', '::1%a b']) {
      expect(parseAddress(bad), bad).toBeUndefined();
    }
    expect(reason('1::2::3')).toMatch(/only once/);
    expect(reason('12345::')).toMatch(/1 to 4 hexadecimal digits/);
    expect(reason('1:2:3:4:5:6:7')).toMatch(/8 groups/);
    expect(reason('1.2.3.4::')).toMatch(/last part/);
  });

  it('strips zone ids from addresses', () => {
    expect(parseAddress('fe80::1%eth0')).toEqual(parseAddress('fe80::1'));
    expect(parseAddress('fe80::1%12')).toEqual(parseAddress('fe80::1'));
    expect(parseAddress('10.0.0.1%eth0')).toBeUndefined();
  });

  it('agrees with node:net on which strings are addresses (zone-less)', () => {
    const samples = ['1.2.3.4', '01.2.3.4', '1.2.3', '::', '::1', '1::', ':::', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::',
      '::ffff:1.2.3.4', '::ffff:01.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '1:2:3:4:5:6::1.2.3.4',
      '00000::1', '0::', '2001:db8::', 'fe80::', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789', '1::2:3:4:5:6:7:8', '1.2.3.04', 'x::1'];
    for (const s of samples) expect(parseAddress(s) !== undefined, s).toBe(isIP(s) !== 0);
  });
});

describe('formatAddress', () => {
  it('writes IPv4 and mapped addresses as dotted decimal, IPv6 per RFC 5952', () => {
    expect(fmt('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(fmt('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(fmt('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // first of equal runs
    expect(fmt('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // a single zero group stays
    expect(fmt('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1'); // longest run
    expect(fmt('::')).toBe('::');
    expect(fmt('::1')).toBe('::1');
    expect(fmt('1::')).toBe('1::');
    expect(fmt('fe80::1%eth0')).toBe('fe80::1');
  });
});

describe('parseCidr', () => {
  it('parses IPv4 and IPv6 ranges and bare addresses', () => {
    expect(parseCidr('1.2.3.0/24')).toEqual({ ok: true, range: { family: 4, prefix: 24, network: [0, 0, 0xffff, 0x01020300], text: '1.2.3.0/24', hostBitsSet: false } });
    expect(parseCidr('2001:db8::/32')).toEqual({ ok: true, range: { family: 6, prefix: 32, network: [0x20010db8, 0, 0, 0], text: '2001:db8::/32', hostBitsSet: false } });
    expect(range('192.168.1.5')).toBe('192.168.1.5/32');
    expect(range('2001:DB8::1')).toBe('2001:db8::1/128');
    expect(range('::')).toBe('::/128');
  });

  it('accepts the prefix extremes', () => {
    expect(range('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(range('10.0.0.1/32')).toBe('10.0.0.1/32');
    expect(range('::/0')).toBe('::/0');
    expect(range('::1/128')).toBe('::1/128');
  });

  it('reads IPv4-mapped IPv6 ranges of /96 and longer as IPv4 ranges', () => {
    expect(range('::ffff:10.0.0.0/104')).toBe('10.0.0.0/8');
    expect(range('::ffff:0:0/96')).toBe('0.0.0.0/0');
    expect(range('::ffff:10.0.0.1')).toBe('10.0.0.1/32');
    expect(parseCidr('::ffff:0:0/95')).toMatchObject({ ok: true, range: { family: 6, prefix: 95, text: '::fffe:0:0/95' } });
  });

  it('accepts host bits but clears and flags them', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ ok: true, range: { text: '10.0.0.0/8', hostBitsSet: true } });
    expect(parseCidr('2001:db8::1/32')).toMatchObject({ ok: true, range: { text: '2001:db8::/32', hostBitsSet: true } });
    expect(parseCidr('10.0.0.1/0')).toMatchObject({ ok: true, range: { text: '0.0.0.0/0', hostBitsSet: true } });
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ ok: true, range: { hostBitsSet: false } });
  });

  it('refuses invalid prefixes', () => {
    expect(reason('10.0.0.0/33')).toMatch(/out of range for IPv4 \(0-32\)/);
    expect(reason('::/129')).toMatch(/out of range for IPv6 \(0-128\)/);
    expect(reason('10.0.0.0/')).toMatch(/missing/);
    expect(reason('10.0.0.0/08')).toMatch(/leading zero/);
    expect(reason('10.0.0.0/-1')).toMatch(/not a decimal number/);
    expect(reason('10.0.0.0/8/8')).toMatch(/not a decimal number/);
    expect(reason('10.0.0.0/ 8')).toMatch(/not a decimal number/);
    expect(reason('10.0.0.0/255.0.0.0')).toMatch(/not a decimal number/);
    expect(reason('::ffff:10.0.0.0/33')).toBeUndefined(); // IPv6 text: the prefix counts 128 bits
  });

  it('refuses zone ids, white space, brackets and empty input', () => {
    expect(reason('fe80::1%eth0')).toMatch(/zone id/);
    expect(reason('fe80::%eth0/64')).toMatch(/zone id/);
    expect(reason(' 10.0.0.0/8')).toMatch(/white space/);
    expect(reason('[::1]/128')).toMatch(/brackets/);
    expect(reason('')).toMatch(/empty/);
    expect(reason('/8')).toMatch(/empty address/);
    expect(reason('example.com')).toMatch(/not an IPv4 or IPv6 address/);
  });
});

describe('compileAllowlist', () => {
  it('matches IPv4 ranges, for plain and IPv4-mapped addresses', () => {
    const list = compileAllowlist(['10.0.0.0/8', '192.168.1.5']);
    expect(list.empty).toBe(false);
    for (const yes of ['10.0.0.1', '10.255.255.255', '::ffff:10.1.2.3', '::FFFF:a01:203', '192.168.1.5', '::ffff:192.168.1.5']) expect(list.matches(yes), yes).toBe(true);
    for (const no of ['11.0.0.1', '9.255.255.255', '192.168.1.6', '::1', '::10.0.0.1', '2001:db8::1', 'nonsense', '']) expect(list.matches(no), no).toBe(false);
  });

  it('matches IPv6 ranges across word boundaries', () => {
    const list = compileAllowlist(['2001:db8::/32', 'fe80::/10', '2001:db8:1:2:3:4:5:0/127', '::1']);
    expect(list.matches('2001:db8:ffff::1')).toBe(true);
    expect(list.matches('2001:db9::1')).toBe(false);
    expect(list.matches('febf:ffff::1')).toBe(true);
    expect(list.matches('fec0::1')).toBe(false);
    expect(list.matches('fe80::1%eth0')).toBe(true);
    expect(list.matches('::1')).toBe(true);
    expect(list.matches('::2')).toBe(false);
    expect(list.matches('10.0.0.1')).toBe(false);
    const narrow = compileAllowlist(['2a00:1::5:0/127']);
    expect(narrow.matches('2a00:1::5:1')).toBe(true);
    expect(narrow.matches('2a00:1::5:2')).toBe(false);
    const odd = compileAllowlist(['2a00:1:2:3:8000::/65']);
    expect(odd.matches('2a00:1:2:3:ffff::')).toBe(true);
    expect(odd.matches('2a00:1:2:3:7fff::')).toBe(false);
  });

  it('handles /0, the all-ones addresses and the sign bit', () => {
    const v4all = compileAllowlist(['0.0.0.0/0']);
    expect(v4all.matches('255.255.255.255')).toBe(true);
    expect(v4all.matches('::ffff:0.0.0.0')).toBe(true);
    expect(v4all.matches('::1')).toBe(false);
    const all = compileAllowlist(['::/0']);
    expect(all.matches('10.0.0.1')).toBe(true);
    expect(all.matches('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    const high = compileAllowlist(['128.0.0.0/1', 'ffff::/16']);
    expect(high.matches('200.1.1.1')).toBe(true);
    expect(high.matches('127.255.255.255')).toBe(false);
    expect(high.matches('ffff:1::')).toBe(true);
    expect(high.matches('fffe::')).toBe(false);
  });

  it('treats an empty list as allow-all for matches and as no member for contains', () => {
    const list = compileAllowlist([]);
    expect(list.empty).toBe(true);
    expect(list.matches('203.0.113.9')).toBe(true);
    expect(list.matches('2001:db8::1')).toBe(true);
    expect(list.contains('203.0.113.9')).toBe(false);
  });

  it('fails closed on invalid entries: they are left out and do not make the list empty', () => {
    const list = compileAllowlist(['10.0.0.0/33', 'nope']);
    expect(list.empty).toBe(false);
    expect(list.invalid).toEqual(['10.0.0.0/33', 'nope']);
    expect(list.matches('10.0.0.1')).toBe(false);
    const mixed = compileAllowlist(['bad', '10.0.0.0/8']);
    expect(mixed.matches('10.0.0.1')).toBe(true);
    expect(mixed.ranges.map((r) => r.text)).toEqual(['10.0.0.0/8']);
  });

  it('accepts a pre-parsed address', () => {
    const list = compileAllowlist(['10.0.0.0/8']);
    expect(list.contains(parseAddress('10.9.9.9')!)).toBe(true);
    expect(list.contains([0, 0, 0xffff, 0x0b000000])).toBe(false);
  });

  it('agrees with a BigInt reference over random addresses and ranges', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 0;
    const big = (w: readonly number[]) => w.reduce((acc, x) => (acc << 32n) | BigInt(x), 0n);
    for (let n = 0; n < 300; n++) {
      const addr = [rand(), rand(), rand(), rand()] as const;
      const prefix = rand() % 129;
      const base = n % 3 === 0 ? addr : ([rand(), rand(), rand(), rand()] as const);
      const text = `${formatAddress(base)}/${prefix}`;
      if (formatAddress(base).includes('.')) continue;
      const list = compileAllowlist([text]);
      const shift = BigInt(128 - prefix);
      const expected = prefix === 0 || (big(addr) >> shift) === (big(base) >> shift);
      expect(list.contains(addr), `${formatAddress(addr)} in ${text}`).toBe(expected);
    }
  });
});
