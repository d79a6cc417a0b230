import { describe, it, expect } from 'vitest';
import { keyStatus, providerStatus, probeVerdict, type KeyInput, type ProviderInput } from '../../../../server/observe/health/status-rules.ts';
import type { ProbeResult } from '../../../../server/observe/health/types.ts';

const ok = (at = 1): ProbeResult => ({ at, ok: true, status: 200, ms: 5 });
const bad = (status = 503, at = 2): ProbeResult => ({ at, ok: false, status, ms: 5, error: `status ${status}` });
const key = (keyId: string, probes: ProbeResult[], extra: Partial<KeyInput> = {}): KeyInput => ({ keyId, usable: true, probes, ...extra });
const provider = (extra: Partial<ProviderInput> = {}): ProviderInput => ({ enabled: true, keyless: false, keys: [key('k1', [ok()])], probes: [], traffic: { requests: 0, errors: 0 }, circuits: [], ...extra });

describe('health status rules', () => {
  it('one failed probe is degraded, two in a row are error, a pass clears them', () => {
    expect(probeVerdict([ok(), bad()])?.status).toBe('degraded');
    expect(probeVerdict([bad(), bad()])).toEqual({ status: 'error', reason: '2 probes failed: status 503' });
    expect(probeVerdict([bad(), bad(), ok()])).toBeNull();
  });

  it('a switched-off provider or key is disabled', () => {
    expect(providerStatus(provider({ enabled: false })).status).toBe('disabled');
    expect(keyStatus(key('k', [bad(), bad()], { usable: false }), true).status).toBe('disabled');
  });

  it('no active key is an error unless the provider needs none', () => {
    expect(providerStatus(provider({ keys: [key('k1', [], { usable: false })] }))).toEqual({ status: 'error', reason: 'no active key' });
    expect(providerStatus(provider({ keyless: true, keys: [], probes: [ok()] })).status).toBe('active');
    expect(providerStatus(provider({ keyless: true, keys: [], probes: [bad(), bad()] })).status).toBe('error');
  });

  it('the default key failing is the provider failing, unless it was refused and another key works', () => {
    expect(providerStatus(provider({ keys: [key('k1', [bad(), bad()]), key('k2', [ok()])] })).status).toBe('error');
    const refused = providerStatus(provider({ keys: [key('k1', [bad(401), bad(401)]), key('k2', [ok()])] }));
    expect(refused.status).toBe('degraded');
    expect(refused.reason).toContain('key k1');
    expect(providerStatus(provider({ keys: [key('k1', [bad(401), bad(401)])] })).status).toBe('error');
  });

  it('circuits: open on every breaker is error, any not closed is degraded', () => {
    expect(providerStatus(provider({ circuits: ['open', 'open'] })).status).toBe('error');
    expect(providerStatus(provider({ circuits: ['open', 'closed'] })).status).toBe('degraded');
    expect(providerStatus(provider({ keys: [key('k1', [ok()], { circuit: 'open' })] })).status).toBe('error');
  });

  it('traffic: 20 % of at least 5 requests failing is degraded', () => {
    expect(providerStatus(provider({ traffic: { requests: 10, errors: 2 } })).status).toBe('degraded');
    expect(providerStatus(provider({ traffic: { requests: 10, errors: 1 } })).status).toBe('active');
    expect(providerStatus(provider({ traffic: { requests: 4, errors: 4 } })).status).toBe('active');
  });
});
