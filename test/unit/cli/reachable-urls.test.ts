// The addresses `sil start` prints for a hub that listens on every interface.
import { describe, it, expect } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { isUnspecifiedHost, reachableUrls } from '../../../server/cli/reachable-urls.ts';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;

const INTERFACES = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.168.1.10', 'IPv4'), iface('fe80::1c2:3ff:fe4:5', 'IPv6'), iface('2001:db8::10', 'IPv6')],
  wlan0: [iface('10.0.0.7', 'IPv4'), iface('192.168.1.10', 'IPv4')],
};

describe('reachableUrls', () => {
  it('0.0.0.0: 127.0.0.1 and the IPv4 addresses of the network interfaces, never 0.0.0.0', () => {
    expect(reachableUrls('0.0.0.0', 8080, INTERFACES)).toEqual(['http://127.0.0.1:8080', 'http://192.168.1.10:8080', 'http://10.0.0.7:8080']);
  });

  it(':: (dual stack): [::1], the IPv4 addresses, then the IPv6 ones that are not link-local', () => {
    expect(reachableUrls('::', 8080, INTERFACES)).toEqual(['http://[::1]:8080', 'http://192.168.1.10:8080', 'http://10.0.0.7:8080', 'http://[2001:db8::10]:8080']);
    expect(reachableUrls('[::]', 80, { lo: INTERFACES.lo })).toEqual(['http://[::1]:80']);
  });

  it('a specific host stays as given', () => {
    expect(reachableUrls('127.0.0.1', 8080, INTERFACES)).toEqual(['http://127.0.0.1:8080']);
    expect(reachableUrls('::1', 8080, INTERFACES)).toEqual(['http://[::1]:8080']);
    expect(reachableUrls('sil.internal', 8080, INTERFACES)).toEqual(['http://sil.internal:8080']);
    expect(['0.0.0.0', '::', '[::]'].every(isUnspecifiedHost)).toBe(true);
    expect(['127.0.0.1', '::1', 'localhost'].some(isUnspecifiedHost)).toBe(false);
  });
});
