// A circuit breaker with peers (server/core/circuit-breaker.ts): it tells them when it opens and
// when its probe closes it, adopts their open and close, and probes only once they granted it
// the probe of that open period. Without peers (or when claimProbe answers at once) it behaves
// as on a single instance.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitPeers } from '../../../server/core/circuit-breaker.ts';
import { CircuitRegistry } from '../../../server/core/circuit-registry.ts';
import { fakeClock } from '../core/fixtures.ts';

const cfg = { errorRate: 0.5, minRequests: 4, windowSeconds: 10, cooldownSeconds: 5 };

/** Peers that record what they are told; claims wait for the test's answer unless `local`. */
function fakePeers(local = false) {
  const told: string[] = [];
  const claims: { key: string; openUntil: number; cooldownMs: number; answer: (won: boolean) => void }[] = [];
  const peers: CircuitPeers = {
    opened: (key, openUntil) => void told.push(`open ${key} ${openUntil}`),
    closed: (key, openUntil) => void told.push(`closed ${key} ${openUntil}`),
    claimProbe: (key, openUntil, cooldownMs, answer) => {
      if (local) return true;
      claims.push({ key, openUntil, cooldownMs, answer });
      return false;
    },
  };
  return { peers, told, claims };
}

function trip(b: CircuitBreaker): void {
  for (let i = 0; i < 4; i++) {
    expect(b.allow()).toBe(true);
    b.record(false);
  }
}

describe('a breaker with peers', () => {
  it('tells them when it opens, re-opens after a failed probe, and when its probe closes it', () => {
    const clock = fakeClock();
    const { peers, told } = fakePeers(true);
    const b = new CircuitBreaker(cfg, clock.now, { key: 'p/s/k', peers });
    const t0 = clock.now();
    trip(b);
    expect(told).toEqual([`open p/s/k ${t0 + 5000}`]);
    clock.advance(5000);
    expect(b.allow()).toBe(true); // claimProbe answered at once: the local probe
    b.record(false);
    expect(told[1]).toBe(`open p/s/k ${t0 + 10_000}`);
    clock.advance(5000);
    expect(b.allow()).toBe(true);
    b.record(true);
    expect(b.state()).toBe('closed');
    expect(told[2]).toBe(`closed p/s/k ${t0 + 10_000}`);
  });

  it('adopts a peer\'s open period (a later one wins) and its close (not of a later period)', () => {
    const clock = fakeClock();
    const { peers, told } = fakePeers();
    const b = new CircuitBreaker(cfg, clock.now, { key: 'k', peers });
    const until = clock.now() + 3000;
    b.adoptOpen(until);
    expect(b.state()).toBe('open');
    expect(b.allow()).toBe(false);
    expect(b.openUntil).toBe(until);
    b.adoptOpen(until - 1000); // an older period changes nothing
    expect(b.openUntil).toBe(until);
    b.adoptOpen(until + 1000);
    expect(b.openUntil).toBe(until + 1000);
    b.adoptClosed(until); // the close of an older period: still open
    expect(b.state()).toBe('open');
    b.adoptClosed(until + 1000);
    expect(b.state()).toBe('closed');
    expect(b.allow()).toBe(true);
    expect(told).toEqual([]); // adopted state is not told back
  });

  it('results of requests sent before a peer opened it are ignored', () => {
    const clock = fakeClock();
    const { peers, told } = fakePeers();
    const b = new CircuitBreaker(cfg, clock.now, { key: 'k', peers });
    b.adoptOpen(clock.now() + 5000);
    b.record(false);
    b.record(true);
    expect(b.state()).toBe('open');
    expect(told).toEqual([]);
  });

  it('probes only once the peers grant the probe of that period; a lost claim waits for the winner', () => {
    const clock = fakeClock();
    const { peers, claims } = fakePeers();
    const b = new CircuitBreaker(cfg, clock.now, { key: 'k', peers });
    const until = clock.now() + 5000;
    b.adoptOpen(until);
    clock.advance(5000);
    expect(b.state()).toBe('half-open');
    expect(b.allow()).toBe(false); // asks the peers, does not wait
    expect(b.allow()).toBe(false); // one claim at a time
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ key: 'k', openUntil: until, cooldownMs: 5000 });
    claims[0].answer(false); // a peer probes
    expect(b.allow()).toBe(false);
    expect(b.wouldAllow()).toBe(false);
    clock.advance(4999);
    expect(b.allow()).toBe(false);
    // The winner's probe closed it: adopted.
    b.adoptClosed(until);
    expect(b.allow()).toBe(true);
  });

  it('a granted claim lets exactly one probe through, whose result decides', () => {
    const clock = fakeClock();
    const { peers, claims, told } = fakePeers();
    const b = new CircuitBreaker(cfg, clock.now, { key: 'k', peers });
    trip(b);
    clock.advance(5000);
    expect(b.allow()).toBe(false);
    claims[0].answer(true);
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.record(true);
    expect(b.state()).toBe('closed');
    expect(told.at(-1)).toMatch(/^closed k /);
  });

  it('an answer that comes after the period changed is dropped', () => {
    const clock = fakeClock();
    const { peers, claims } = fakePeers();
    const b = new CircuitBreaker(cfg, clock.now, { key: 'k', peers });
    b.adoptOpen(clock.now() + 1000);
    clock.advance(1000);
    expect(b.allow()).toBe(false);
    b.adoptOpen(clock.now() + 5000); // a peer's probe failed: a new period
    claims[0].answer(true);
    clock.advance(5000);
    expect(b.allow()).toBe(false); // the new period needs its own claim
    expect(claims).toHaveLength(2);
    expect(claims[1].openUntil).toBe(clock.now());
  });
});

describe('a registry with peers', () => {
  it('adopts open circuits it has no breaker for yet, and lists the open ones', () => {
    const clock = fakeClock();
    const { peers } = fakePeers();
    const r = new CircuitRegistry(clock.now, { peers });
    r.adoptClosed('a/s/-', clock.now()); // nothing to close: no breaker made
    expect(r.size).toBe(0);
    r.adoptOpen('a/s/-', clock.now() + 2000);
    expect(r.wouldAllow('a/s/-')).toBe(false);
    expect([...r.openCircuits()]).toEqual([['a/s/-', clock.now() + 2000]]);
    // The binding's config applies at first use and keeps the adopted state.
    expect(r.get('a/s/-', cfg).allow()).toBe(false);
    r.adoptClosed('a/s/-', clock.now() + 2000);
    expect(r.wouldAllow('a/s/-')).toBe(true);
    expect([...r.openCircuits()]).toEqual([]);
  });

  it('without peers a breaker is what it always was: no claim, the local probe', () => {
    const clock = fakeClock();
    const r = new CircuitRegistry(clock.now);
    const b = r.get('k', cfg);
    trip(b);
    clock.advance(5000);
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
  });
});
