import { describe, it, expect } from 'vitest';
import { isForwarded, isLocalCaller, isLoopback } from '../../../server/core/local-caller.ts';

describe('isLocalCaller (who may see what the hub keeps from the public)', () => {
  it('takes loopback peers, in every spelling, as local', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopback(a), a).toBe(true);
      expect(isLocalCaller(a, a, false), a).toBe(true);
    }
  });

  it('refuses other addresses, and what does not parse', () => {
    for (const a of ['10.0.0.1', '192.168.1.2', '203.0.113.9', '::2', '2001:db8::1', '::ffff:10.0.0.1', '0.0.0.0', '', 'localhost']) {
      expect(isLocalCaller(a, a, false), a).toBe(false);
    }
  });

  it('takes a caller a trusted proxy names as the address remote-address.ts resolved', () => {
    expect(isLocalCaller('127.0.0.1', '203.0.113.9', true)).toBe(false);
    expect(isLocalCaller('10.0.0.5', '127.0.0.1', true)).toBe(true);
  });

  it('does not take a loopback relay that sil.yaml does not trust as local', () => {
    // The forwarding header was not resolved: the address is still the peer's.
    expect(isLocalCaller('127.0.0.1', '127.0.0.1', true)).toBe(false);
    expect(isLocalCaller('::ffff:127.0.0.1', '127.0.0.1', true)).toBe(false);
  });

  it('sees the forwarding headers proxies send', () => {
    expect(isForwarded({ 'x-forwarded-for': '203.0.113.9' })).toBe(true);
    expect(isForwarded({ forwarded: 'for=203.0.113.9' })).toBe(true);
    expect(isForwarded({ 'x-real-ip': '203.0.113.9' })).toBe(true);
    expect(isForwarded({ host: 'hub', 'user-agent': 'curl' })).toBe(false);
  });
});
