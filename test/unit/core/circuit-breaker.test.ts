import { describe, it, expect } from 'vitest';
import { CircuitBreaker, BREAKER_DEFAULTS } from '../../../server/core/circuit-breaker.ts';
import { CircuitRegistry, circuitKey } from '../../../server/core/circuit-registry.ts';
import { fakeClock } from './fixtures.ts';

const cfg = { errorRate: 0.5, minRequests: 4, windowSeconds: 10, cooldownSeconds: 5 };

function fail(b: CircuitBreaker, n: number): void {
  for (let i = 0; i < n; i++) { expect(b.allow()).toBe(true); b.record(false); }
}

describe('CircuitBreaker', () => {
  it('uses the defaults when the binding sets none', () => {
    const b = new CircuitBreaker(undefined, fakeClock().now);
    expect(b.config).toEqual(BREAKER_DEFAULTS);
    expect(new CircuitBreaker({ minRequests: 3 }, fakeClock().now).config).toEqual({ ...BREAKER_DEFAULTS, minRequests: 3 });
  });

  it('stays closed below minRequests, opens once the window holds enough errors', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 3);
    expect(b.state()).toBe('closed');
    b.record(false);
    expect(b.state()).toBe('open');
    expect(b.allow()).toBe(false);
  });

  it('counts the rate: successes keep it closed, the threshold is inclusive', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    for (let i = 0; i < 6; i++) b.record(true);
    b.record(false); b.record(false); b.record(false);
    expect(b.state()).toBe('closed'); // 3 / 9
    b.record(false); b.record(false);
    expect(b.state()).toBe('closed'); // 5 / 11
    b.record(false);
    expect(b.state()).toBe('open'); // 6 / 12 = 0.5
  });

  it('a success that completes minRequests can open it', () => {
    const b = new CircuitBreaker(cfg, fakeClock().now);
    b.record(false); b.record(false); b.record(false);
    b.record(true);
    expect(b.state()).toBe('open');
  });

  it('refuses while open, then lets exactly one probe through', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 4);
    clock.advance(4_999);
    expect(b.allow()).toBe(false);
    expect(b.wouldAllow()).toBe(false);
    clock.advance(1);
    expect(b.state()).toBe('half-open');
    expect(b.wouldAllow()).toBe(true);
    expect(b.wouldAllow()).toBe(true); // peeking takes no probe
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    expect(b.wouldAllow()).toBe(false);
    expect(b.state()).toBe('half-open');
  });

  it('a probe success closes it and forgets the old errors', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 4);
    clock.advance(5_000);
    expect(b.allow()).toBe(true);
    b.record(true);
    expect(b.state()).toBe('closed');
    expect(b.window()).toEqual({ requests: 0, failures: 0 });
    fail(b, 3);
    expect(b.state()).toBe('closed');
  });

  it('a failed probe re-opens it for another cooldown', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 4);
    clock.advance(5_000);
    expect(b.allow()).toBe(true);
    b.record(false);
    expect(b.state()).toBe('open');
    clock.advance(4_999);
    expect(b.allow()).toBe(false);
    clock.advance(1);
    expect(b.allow()).toBe(true);
    b.record(true);
    expect(b.state()).toBe('closed');
  });

  it('ignores late results of requests sent before it opened', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 4);
    b.record(true);
    expect(b.state()).toBe('open');
    clock.advance(6_000);
    b.record(true); // cooldown over, but no probe was let through
    expect(b.state()).toBe('half-open');
  });

  it('gives a probe that never reports up after one cooldown', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    fail(b, 4);
    clock.advance(5_000);
    expect(b.allow()).toBe(true);
    clock.advance(4_999);
    expect(b.allow()).toBe(false);
    clock.advance(1);
    expect(b.allow()).toBe(true);
  });

  it('the sliding window forgets errors older than windowSeconds', () => {
    const clock = fakeClock(0);
    const b = new CircuitBreaker(cfg, clock.now);
    b.record(false); b.record(false); b.record(false);
    clock.advance(5_000);
    expect(b.window()).toEqual({ requests: 3, failures: 3 });
    clock.advance(5_000); // the first bucket has left the 10 s window
    expect(b.window()).toEqual({ requests: 0, failures: 0 });
    b.record(false);
    expect(b.state()).toBe('closed');
    clock.advance(3_000);
    b.record(false); b.record(false);
    expect(b.state()).toBe('closed');
    b.record(false);
    expect(b.state()).toBe('open');
  });

  it('keeps buckets across the window as time moves in steps', () => {
    const clock = fakeClock(0);
    const b = new CircuitBreaker({ ...cfg, minRequests: 100, errorRate: 1 }, clock.now);
    for (let s = 0; s < 30; s++) { b.record(s % 2 === 0); clock.advance(1_000); }
    // Now 30 s; 1 s buckets over 10 s: the window (20 s, 30 s] holds the records of 21..29 s.
    expect(b.window()).toEqual({ requests: 9, failures: 5 });
  });

  it('reconfigure keeps the state; a new window length forgets the counts', () => {
    const clock = fakeClock();
    const b = new CircuitBreaker(cfg, clock.now);
    b.record(false); b.record(false);
    b.reconfigure({ ...cfg, minRequests: 3 });
    expect(b.window().requests).toBe(2);
    b.record(false);
    expect(b.state()).toBe('open');
    b.reconfigure({ ...cfg, windowSeconds: 20 });
    expect(b.state()).toBe('open');
  });
});

describe('CircuitRegistry', () => {
  it('creates breakers lazily per provider/service/key and returns the same one', () => {
    const clock = fakeClock();
    const r = new CircuitRegistry(clock.now);
    const key = circuitKey('openai-main', 'chat', 'primary');
    expect(key).toBe('openai-main/chat/primary');
    expect(circuitKey('local', 'api', null)).toBe('local/api/-');
    expect(r.wouldAllow(key)).toBe(true);
    expect(r.size).toBe(0);
    const b = r.get(key, cfg);
    expect(r.get(key, cfg)).toBe(b);
    expect(r.get(circuitKey('openai-main', 'chat', 'backup'), cfg)).not.toBe(b);
    fail(b, 4);
    expect(r.wouldAllow(key)).toBe(false);
    expect(r.peek(key)).toBe(b);
  });

  it('stays bounded: over maxEntries, entries unused for an hour are dropped', () => {
    const clock = fakeClock();
    const r = new CircuitRegistry(clock.now, { maxEntries: 100 });
    for (let i = 0; i < 100; i++) r.get(`p/s/k${i}`);
    clock.advance(30 * 60_000);
    r.get('p/s/k0'); // used again: recent
    clock.advance(30 * 60_000);
    r.get('p/s/new');
    expect(r.size).toBe(2);
    expect(r.peek('p/s/k0')).toBeDefined();
    expect(r.peek('p/s/k1')).toBeUndefined();
  });

  it('keeps recent entries even above maxEntries, and holds 10,000 by default', () => {
    const clock = fakeClock();
    const r = new CircuitRegistry(clock.now);
    for (let i = 0; i < 10_001; i++) r.get(`p/s/k${i}`);
    expect(r.size).toBe(10_001);
    clock.advance(3_600_000);
    r.get('p/s/late');
    expect(r.size).toBe(1);
  });
});
