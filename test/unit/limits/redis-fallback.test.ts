// The shared counter store's routing without a real Redis (a fake connection whose scripts the
// test answers): no Redis → the in-memory store, synchronously; Redis up → Redis; Redis down or a
// failing command → each op's failMode (local, open, closed), the problem reported once and
// cleared when Redis answers; the local fallback seeded with the counts last seen in Redis; and
// the limiter's 503 answer for a closed policy.
import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import { SharedCounterStore, type CounterCluster, type SharedConnection, type SharedStateProblem } from '../../../server/limits/shared-counter-store.ts';
import { sharedStateAlerter, SHARED_STATE_ALERT_ID } from '../../../server/limits/shared-state-alert.ts';
import type { CheckResult, CounterOp, FailMode } from '../../../server/limits/counter-store.ts';
import { Limiter } from '../../../server/limits/limiter.ts';
import type { AlertRaise } from '../../../server/observe/alerts/types.ts';
import { snapshotOf, stateOf, usage } from './fixtures.ts';

type State = SharedConnection['state'];

class FakeConnection implements SharedConnection {
  state: State;
  readonly settings = { url: 'redis://127.0.0.1:6399', connectTimeoutMs: 80 };
  lastError: string | null = null;
  calls = 0;
  /** How the next script calls answer: the reply, or an error. */
  answer: () => Promise<unknown> = () => Promise.reject(new Error('no answer set'));
  readonly #listeners = new Set<(s: State) => void>();
  readonly client: Redis;

  constructor(state: State) {
    this.state = state;
    const run = () => {
      this.calls++;
      return this.answer();
    };
    this.client = { defineCommand() {}, silLimitCheckAndAdd: run, silLimitAdd: run } as unknown as Redis;
  }

  key(name: string): string {
    return `sil:${name}`;
  }

  onState(l: (s: State) => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  set(state: State, error?: string): void {
    this.state = state;
    if (error) this.lastError = error;
    for (const l of this.#listeners) l(state);
  }
}

function clusterOf(conn: FakeConnection | null, mode: FailMode = 'local') {
  const listeners = new Set<(c: SharedConnection | null) => void>();
  const cluster: CounterCluster & { mode: FailMode; replace(c: FakeConnection | null): void } = {
    mode,
    connection: () => conn,
    failMode: () => cluster.mode,
    onConnection: (l) => (listeners.add(l), () => listeners.delete(l)),
    replace(c) {
      conn = c;
      for (const l of listeners) l(c);
    },
  };
  return cluster;
}

function setup(conn: FakeConnection | null, mode: FailMode = 'local') {
  const memory = new MemoryCounterStore();
  const problems: (SharedStateProblem | null)[] = [];
  const cluster = clusterOf(conn, mode);
  const store = new SharedCounterStore(memory, cluster, (p) => problems.push(p));
  return { memory, store, problems, cluster };
}

const T = 1_800_000_000_000;
const bucket = (key: string, failMode?: FailMode): CounterOp => ({ type: 'bucket', key, amount: 1, capacity: 2, refillPerMs: 0.000001, failMode });
const win = (key: string, max: number, failMode?: FailMode, amount = 1): CounterOp => ({ type: 'window', key, amount, max, expiresAt: T + 3_600_000, failMode });

describe('shared counter store: routing', () => {
  it('without Redis counts in memory and answers synchronously', () => {
    const { store, memory, problems } = setup(null);
    const r = store.checkAndAdd([bucket('r'), win('q', 5)], T);
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toEqual({ refused: -1, used: [1, 1] });
    expect(store.add('q', 2, T + 3_600_000, T)).toBe(3);
    expect([...memory.entries(T)].map((e) => e.key).sort()).toEqual(['q', 'r']);
    expect(problems).toEqual([]);
    expect(store.problem).toBeNull();
  });

  it('with Redis up counts there (a Promise) and records nothing in memory', async () => {
    const conn = new FakeConnection('up');
    conn.answer = () => Promise.resolve([-1, '4', '7']);
    const { store, memory } = setup(conn);
    const r = store.checkAndAdd([bucket('r'), win('q', 9)], T);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toEqual({ refused: -1, used: [4, 7] });
    expect(conn.calls).toBe(1);
    expect([...memory.entries(T)]).toEqual([]);
    // The status reads what Redis answered last.
    expect(new Map([...store.entries(T)].map((e) => [e.key, e.value]))).toEqual(new Map([['r', 4], ['q', 7]]));
  });
});

describe('shared counter store: Redis down', () => {
  it('follows each op\'s failMode, the default coming from sil.yaml redis.failMode', () => {
    const conn = new FakeConnection('down');
    const { store, memory, cluster } = setup(conn, 'open');
    // open (default) and local: only the local op is counted; the open one has no count.
    const r = store.checkAndAdd([bucket('r'), win('q', 1, 'local')], T) as CheckResult;
    expect(r.refused).toBe(-1);
    expect(r.used[0]).toBeUndefined();
    expect(r.used[1]).toBe(1);
    expect(r.local).toBe(true);
    expect(conn.calls).toBe(0);
    // The local op is at its limit: refused, and its index is the request's.
    expect((store.checkAndAdd([bucket('r'), win('q', 1, 'local')], T) as CheckResult).refused).toBe(1);
    // A closed op refuses the request before anything is counted.
    const closed = store.checkAndAdd([win('q2', 5, 'local'), bucket('c', 'closed')], T) as CheckResult;
    expect(closed).toMatchObject({ refused: 1, unavailable: true });
    expect([...memory.entries(T)].map((e) => e.key)).toEqual(['q']);
    // The default changes with sil.yaml.
    cluster.mode = 'closed';
    expect(store.checkAndAdd([bucket('r')], T)).toMatchObject({ refused: 0, unavailable: true });
  });

  it('right after start waits for the first connection (at most connectTimeoutMs), then counts in Redis or falls back', async () => {
    const conn = new FakeConnection('connecting');
    conn.answer = () => Promise.resolve([-1, '1']);
    const { store, problems } = setup(conn);
    const waiting = store.checkAndAdd([bucket('r')], T);
    expect(waiting).toBeInstanceOf(Promise);
    conn.set('up');
    expect(await waiting).toEqual({ refused: -1, used: [1] });
    expect(conn.calls).toBe(1);
    // A connection that never comes: the fallback after connectTimeoutMs (no alert: not known to be down yet).
    const slow = setup(new FakeConnection('connecting'));
    const started = Date.now();
    expect(await slow.store.checkAndAdd([bucket('r')], T)).toMatchObject({ refused: -1, local: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(slow.problems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('reports the problem once while it lasts, and clears it when Redis is up again', () => {
    const conn = new FakeConnection('up');
    const { store, problems } = setup(conn);
    expect(problems).toEqual([]);
    conn.set('down', 'connect ECONNREFUSED 127.0.0.1:6399');
    expect(store.checkAndAdd([bucket('r')], T)).toMatchObject({ refused: -1, local: true });
    conn.set('connecting');
    conn.set('down');
    expect(problems).toEqual([{ url: 'redis://127.0.0.1:6399', error: 'connect ECONNREFUSED 127.0.0.1:6399' }]);
    conn.set('up');
    expect(problems).toEqual([problems[0], null]);
    expect(store.problem).toBeNull();
  });

  it('a failing command falls back, skips Redis for a second, then tries again', async () => {
    const conn = new FakeConnection('up');
    conn.answer = () => Promise.reject(new Error('Command timed out'));
    const { store, problems } = setup(conn, 'local');
    expect(await store.checkAndAdd([win('q', 5)], T)).toEqual({ refused: -1, used: [1], local: true });
    expect(problems).toEqual([{ url: 'redis://127.0.0.1:6399', error: 'Command timed out' }]);
    // Within the second: no wait on Redis, synchronously local.
    expect(store.checkAndAdd([win('q', 5)], T + 999)).toEqual({ refused: -1, used: [2], local: true });
    expect(conn.calls).toBe(1);
    // After it: Redis again, and its answer clears the problem.
    conn.answer = () => Promise.resolve([-1, '1']);
    expect(await store.checkAndAdd([win('q', 5)], T + 1_000)).toEqual({ refused: -1, used: [1] });
    expect(conn.calls).toBe(2);
    expect(problems).toEqual([problems[0], null]);
  });

  it('starts the local counts from what Redis said last', async () => {
    const conn = new FakeConnection('up');
    conn.answer = () => Promise.resolve([-1, '9']);
    const { store } = setup(conn, 'local');
    await store.checkAndAdd([win('q', 10)], T);
    conn.set('down', 'Connection is closed.');
    expect(store.checkAndAdd([win('q', 10)], T)).toEqual({ refused: -1, used: [10], local: true });
    expect(store.checkAndAdd([win('q', 10)], T)).toMatchObject({ refused: 0 });
  });

  it('adds a cost or a settlement locally (local), drops it (open, closed), and settles a local reservation in memory', async () => {
    const conn = new FakeConnection('down');
    const { store, memory } = setup(conn, 'local');
    const end = T + 3_600_000;
    expect(store.add('b', 0.25, end, T)).toBe(0.25);
    expect(store.add('b', 0.25, end, T, { failMode: 'open' })).toBe(0);
    expect(store.add('b', 0.25, end, T, { failMode: 'closed' })).toBe(0);
    expect([...memory.entries(T)].map((e) => e.value)).toEqual([0.25]);
    conn.set('up');
    conn.answer = () => Promise.resolve('5');
    expect(store.add('t', -3, end, T, { local: true })).toBe(0); // where it was reserved: memory
    expect(await store.add('t', 5, end, T)).toBe(5);
    // A failing add falls back like a check, and never rejects.
    conn.answer = () => Promise.reject(new Error('boom'));
    expect(await store.add('b', 0.5, end, T)).toBe(0.75);
  });

  it('a commit that removes redis: goes back to the in-memory store and clears the problem', () => {
    const conn = new FakeConnection('down');
    const { store, problems, cluster } = setup(conn);
    store.checkAndAdd([bucket('r')], T);
    expect(problems).toHaveLength(1);
    cluster.replace(null);
    expect(problems).toEqual([problems[0], null]);
    const r = store.checkAndAdd([bucket('r')], T);
    expect(r).toEqual({ refused: -1, used: [2] });
  });
});

describe('the limiter with the shared store away', () => {
  const world = (failMode?: FailMode) => ({ clientPolicy: 'p', policies: [{ name: 'p', rateLimit: { requests: 1, per: 'hour' as const }, quota: { period: 'day' as const, tokens: 1_000 }, ...(failMode ? { failMode } : {}) }] });

  it('closed: refuses with 503 SIL_LIMIT_STORE_UNAVAILABLE naming the policy, Retry-After a few seconds', () => {
    const { store } = setup(new FakeConnection('down'), 'local');
    const snap = snapshotOf(world('closed'));
    const limiter = new Limiter({ store, now: () => T, snapshot: () => snap });
    const state = stateOf(snap);
    const refusal = limiter.admit(state);
    expect(refusal).toMatchObject({ code: 'SIL_LIMIT_STORE_UNAVAILABLE', policy: 'p', retryAfterMs: 5_000 });
    const err = limiter.refuse(state, refusal as never);
    expect(err.status).toBe(503);
    expect(err.message).toContain('policy "p"');
    expect(err.message).toContain('closed');
  });

  it('open: admits every request uncounted and holds no reservation; local: counts them here', () => {
    const { store, memory } = setup(new FakeConnection('down'), 'open');
    const snap = snapshotOf(world());
    const limiter = new Limiter({ store, now: () => T, snapshot: () => snap });
    for (let i = 0; i < 5; i++) expect(limiter.admit(stateOf(snap))).toBeNull();
    expect(limiter.pendingReservations).toBe(0);
    expect([...memory.entries(T)]).toEqual([]);
    const local = snapshotOf(world('local'));
    const l2 = new Limiter({ store, now: () => T, snapshot: () => local });
    const first = stateOf(local);
    expect(l2.admit(first)).toBeNull();
    expect(l2.admit(stateOf(local))).toMatchObject({ code: 'SIL_LIMIT_RATE' });
    // The reservation is settled where it was made (memory), to the real count.
    l2.record({ ...usage(first.requestId, 'a', 60) });
    const tokens = [...memory.entries(T)].find((e) => e.key.startsWith('quota.tokens'));
    expect(tokens?.value).toBe(60);
  });
});

describe('shared-state alert', () => {
  it('raises shared-state-unavailable:redis (critical) with the URL and error, and resolves it', () => {
    const raised: AlertRaise[] = [];
    const resolved: string[] = [];
    const alert = sharedStateAlerter({ raise: (a) => (raised.push(a), a as never), resolve: (id) => (resolved.push(id), undefined) });
    alert({ url: 'redis://10.0.0.5:6379', error: 'connect ECONNREFUSED' });
    alert(null);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ id: SHARED_STATE_ALERT_ID, kind: 'shared-state-unavailable', subject: 'redis', severity: 'critical', evidence: { url: 'redis://10.0.0.5:6379', error: 'connect ECONNREFUSED' } });
    expect(raised[0].detail).toContain('failMode');
    expect(resolved).toEqual(['shared-state-unavailable:redis']);
  });
});
