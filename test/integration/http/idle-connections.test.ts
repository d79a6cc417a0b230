// 10,000 idle connections against a hub in its own process (so its RSS is its own): memory stays
// under the documented bound, /healthz still answers at once, and every connection is closed
// (with a 408) within the header time limit plus one check interval (docs/network-limits.md).
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { rssOf, socketCountOf, startChild, type LineChild } from '../../helpers/line-child.ts';
import { healthzOnce, until } from '../../helpers/probe.ts';
import { maxConnectionsFor, parseOpenFilesLimit, SERVER_LIMITS } from '../../../server/http/server-limits.ts';

const WANTED = 10_000;
/** The documented bound: 20 MB plus 13 KiB per idle connection (measured: 8.3–9.6 KiB). */
const rssBound = (n: number) => 20e6 + n * 13 * 1024;

/** How many connections to open: both processes (hub and holder) need one descriptor each. */
function connectionCount(): number {
  const limit = parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  if (limit === null) return WANTED;
  const fit = Math.min(WANTED, maxConnectionsFor(limit) - 64);
  if (fit < WANTED) console.log(`idle-connections: the open-files limit is ${limit}: the hub accepts ${maxConnectionsFor(limit)} connections, so this test opens ${fit} instead of ${WANTED}`);
  return fit;
}

describe('idle connections', () => {
  const children: LineChild[] = [];
  afterAll(async () => {
    for (const c of children.reverse()) await c.stop();
  });

  it('holds 10,000 idle connections within the RSS bound, keeps answering, and closes them at the header limit', async () => {
    const n = connectionCount();
    expect(n).toBeGreaterThan(100);
    const hub = startChild('hub.ts', ['{}']);
    children.push(hub);
    const { url, pid } = await hub.line<{ url: string; pid: number }>((l) => 'url' in l, 20_000);
    for (let i = 0; i < 20; i++) expect((await healthzOnce(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const before = rssOf(pid);

    const holder = startChild('idle-connections.ts', [new URL(url).port, String(n)]);
    children.push(holder);
    const up = await holder.line<{ opened: number; failed: number; ms: number }>((l) => 'opened' in l, 20_000);
    expect(up).toMatchObject({ opened: n, failed: 0 });
    // Connected is not yet accepted: wait until the hub holds them all (plus its listening socket).
    await until(`the hub accepting ${n} connections`, () => socketCountOf(pid) > n, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const after = rssOf(pid);
    const health = await healthzOnce(url);
    console.log(`idle-connections: ${n} connections opened in ${up.ms} ms; hub RSS ${(before / 1e6).toFixed(1)} MB before, ${(after / 1e6).toFixed(1)} MB with them (+${((after - before) / 1e6).toFixed(1)} MB, ${((after - before) / n / 1024).toFixed(1)} KiB each; bound +${(rssBound(n) / 1e6).toFixed(0)} MB); /healthz ${health.ms.toFixed(1)} ms`);
    expect(after - before).toBeLessThan(rssBound(n));
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(500);

    const { headersTimeoutMs, checkIntervalMs } = SERVER_LIMITS;
    const gone = await holder.line<{ closed: number; minLifeMs: number; maxLifeMs: number; got408: number }>((l) => l.closed === n, headersTimeoutMs + checkIntervalMs + 15_000);
    console.log(`idle-connections: all closed by the hub after ${gone.minLifeMs}–${gone.maxLifeMs} ms (limit ${headersTimeoutMs} ms, checked every ${checkIntervalMs} ms)`);
    expect(gone.minLifeMs).toBeGreaterThanOrEqual(headersTimeoutMs - 50);
    expect(gone.maxLifeMs).toBeLessThanOrEqual(headersTimeoutMs + checkIntervalMs + 3000);
    expect(gone.got408).toBe(n);
    await until('the hub releasing the sockets', () => socketCountOf(pid) < 10, 5000);
    expect((await healthzOnce(url)).status).toBe(200);
  }, 60_000);
});
