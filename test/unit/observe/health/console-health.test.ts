// The console's side of health (admin/src/lib/providers.ts): live status over the config's view,
// the status filter and counts with degraded, uptime as text.
import { describe, it, expect } from 'vitest';
import { applyHealth, filterProviders, indexProviders, statusCounts, uiStatus, uptimeText, NO_FILTER, type ProviderSummary } from '../../../../admin/src/lib/providers.ts';

const summary = (id: string, extra: Partial<ProviderSummary> = {}): ProviderSummary => ({
  id, name: id, category: 'AI', template: 'openai', environment: 'prod', enabled: true, status: 'enabled', problems: [], services: [], keys: { total: 1, active: 1, default: 'k1' } as ProviderSummary['keys'], tags: [], ...extra,
});

describe('console health status', () => {
  it('shows the monitor\'s status unless the provider is switched off or its config is broken', () => {
    expect(uiStatus(summary('a', { health: { status: 'degraded', reason: 'r', since: 1 } }))).toBe('degraded');
    expect(uiStatus(summary('a', { enabled: false, status: 'disabled', health: { status: 'error', reason: 'r', since: 1 } }))).toBe('disabled');
    expect(uiStatus(summary('a', { status: 'error', health: { status: 'active', reason: 'r', since: 1 } }))).toBe('error');
    expect(uiStatus(summary('a'))).toBe('active');
  });

  it('applies live health to the index; the status filter and counts use it', () => {
    const index = indexProviders([summary('a'), summary('b'), summary('c', { enabled: false, status: 'disabled' })]);
    const live = applyHealth(index, [{ provider: 'a', status: 'error', reason: '2 probes failed: status 503', since: 5 }, { provider: 'b', status: 'degraded', reason: 'x', since: 5 }]);
    expect(live.map((e) => e.status)).toEqual(['error', 'degraded', 'disabled']);
    expect(statusCounts(live)).toEqual({ all: 3, active: 0, degraded: 1, error: 1, disabled: 1 });
    expect(filterProviders(live, { ...NO_FILTER, status: 'degraded' }).map((e) => e.p.id)).toEqual(['b']);
    expect(live[0].p.health?.reason).toBe('2 probes failed: status 503');
    // Nothing changed: the same index (no re-render).
    expect(applyHealth(live, [{ provider: 'a', status: 'error', reason: '2 probes failed: status 503', since: 5 }])).toBe(live);
  });

  it('writes uptime as a percentage', () => {
    expect(uptimeText(null)).toBeNull();
    expect(uptimeText(1)).toBe('100 %');
    expect(uptimeText(0.99951)).toBe('99.95 %');
    expect(uptimeText(0.75)).toBe('75.0 %');
    expect(uptimeText(0)).toBe('0 %');
  });
});
