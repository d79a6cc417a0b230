// The HTTP server's limits: the documented defaults, the connection limit derived from the
// open-files limit, overrides, and which silent connections are closed.
import { describe, it, expect } from 'vitest';
import { closeSilent, maxConnectionsFor, MAX_CONNECTIONS_CAP, parseOpenFilesLimit, resolveLimits, SERVER_LIMITS, serverOptions } from '../../../server/http/server-limits.ts';
import { tally } from '../../../server/http/event-tally.ts';

describe('server limits', () => {
  it('has the defaults docs/network-limits.md states', () => {
    expect(SERVER_LIMITS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 300_000, keepAliveTimeoutMs: 5_000, stalledSocketMs: 30_000, checkIntervalMs: 1_000, maxHeaderBytes: 16_384, maxConnections: null });
    expect(MAX_CONNECTIONS_CAP).toBe(16_384);
  });

  it('keeps a quarter of the open-files limit (at least 512) for the hub and caps connections', () => {
    expect(maxConnectionsFor(20_000)).toBe(15_000);
    expect(maxConnectionsFor(1024)).toBe(512);
    expect(maxConnectionsFor(600)).toBe(88);
    expect(maxConnectionsFor(100)).toBe(1);
    expect(maxConnectionsFor(1_048_576)).toBe(MAX_CONNECTIONS_CAP);
    expect(maxConnectionsFor(null)).toBe(MAX_CONNECTIONS_CAP);
  });

  it('applies overrides and refuses a header limit longer than the request limit', () => {
    const l = resolveLimits({ headersTimeoutMs: 500, maxConnections: 7 }, 20_000);
    expect(l).toMatchObject({ headersTimeoutMs: 500, requestTimeoutMs: 300_000, maxConnections: 7 });
    expect(resolveLimits(undefined, 20_000).maxConnections).toBe(15_000);
    expect(() => resolveLimits({ headersTimeoutMs: 2000, requestTimeoutMs: 1000 }, null)).toThrow(/headersTimeoutMs \(2000\) must not exceed requestTimeoutMs \(1000\)/);
  });

  it('hands node:http its own limits, the check interval included', () => {
    expect(serverOptions(resolveLimits(undefined, null))).toEqual({ headersTimeout: 10_000, requestTimeout: 300_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000, maxHeaderSize: 16_384 });
  });

  it('closes a silent connection between requests or when its caller does not read, not while the hub works on the answer', () => {
    expect(closeSilent({ inRequest: false, callerNotReading: false })).toBe(true);
    expect(closeSilent({ inRequest: true, callerNotReading: true })).toBe(true);
    expect(closeSilent({ inRequest: true, callerNotReading: false })).toBe(false);
  });

  it('reads the soft open-files limit from /proc/self/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                524288               files     \n';
    expect(parseOpenFilesLimit(text)).toBe(20_000);
    expect(parseOpenFilesLimit('Max open files            unlimited            unlimited            files\n')).toBeNull();
    expect(parseOpenFilesLimit('')).toBeNull();
  });
});

describe('tally', () => {
  it('reports the first event at once, then the count at most once per interval', () => {
    let now = 0;
    const reports: [number, number][] = [];
    const note = tally(60_000, () => now, (count, since) => reports.push([count, since]));
    note();
    for (let i = 0; i < 99; i++) {
      now += 100;
      note();
    }
    expect(reports).toEqual([[1, 0]]);
    now = 60_000;
    note();
    expect(reports).toEqual([[1, 0], [100, 60_000]]);
  });
});
