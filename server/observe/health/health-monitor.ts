// The health monitor (docs/health.md): probes every enabled provider on its own timer, reads the
// traffic window and the circuit breakers, keeps each provider's status, emits `provider.status`
// when it changes, and keeps the history in data/state/health.json. Clock, randomness, timers and
// the upstream are injected; nothing here runs on the proxy's hot path.
// With several instances (server/cluster/shared-health.ts) only the leader probes and judges;
// the others stop probing (setProbing) and judging (setJudging) and show the leader's history,
// handed to them through adopt().
import type { ConfigSnapshot, CompiledProvider } from '../../config/snapshot.ts';
import type { AuthDeps } from '../../auth-schemes/async-registry.ts';
import type { Upstream } from '../../proxy/upstream.ts';
import type { HubEvents } from '../../events/hub-events.ts';
import type { HealthSource, HealthStatus, ProbeResult, ProviderHealth } from './types.ts';
import { keyStatus, providerStatus, worstCircuit, type CircuitState, type KeyInput } from './status-rules.ts';
import { intervalMs, nextDelay, rateFloorMs, KEY_ROUNDS } from './probe-schedule.ts';
import { providerAuth, runProbe } from './probe-runner.ts';
import { uptimes, type Transition } from './uptime.ts';
import { MAX_KEY_PROBES, MAX_PROBES, pruneTransitions, readHealthFile, writeHealthFile, type HealthFile, type ProviderRecord } from './health-file.ts';
import type { TrafficWindow } from './traffic-window.ts';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HealthMonitorOptions {
  snapshot: () => ConfigSnapshot | null;
  upstream: Upstream;
  auth: AuthDeps;
  events: HubEvents;
  /** The passive traffic window (this instance's, or every instance's: ClusterPassive). */
  traffic: Pick<TrafficWindow, 'provider' | 'windowMs'>;
  /** Each breaker's `provider/service/key` and state (CircuitRegistry.states). */
  circuits: () => Iterable<[string, CircuitState]>;
  /** data/state/health.json */
  path: string;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  log?: (line: string) => void;
  /** false: no active probes, only traffic and circuits (SIL_HEALTH_PROBES=off; the test suite's default). */
  probes?: boolean;
  /** Replaces every provider's configured interval (tests; SIL_HEALTH_INTERVAL_MS). */
  intervalMs?: number;
  /** How often statuses are re-judged from traffic and circuits, and the file written when changed (default 5000). */
  tickMs?: number;
}

/** What the monitor knows beyond traffic and circuits: the records and transitions (health.json, and what the leader shares). */
export type HealthHistory = Pick<HealthFile, 'providers' | 'transitions'>;

type CircuitMap = Map<string, { all: CircuitState[]; byKey: Map<string, CircuitState[]> }>;

const realTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/** Providers the monitor probes actively: enabled, with a `request` or `token` check, not switched off in providers/<id>.yaml. */
export function probed(p: CompiledProvider): boolean {
  return p.enabled && (p.healthCheck?.kind === 'request' || p.healthCheck?.kind === 'token') && p.instanceHealthCheck?.enabled !== false;
}

const keyless = (p: CompiledProvider) => p.healthCheck?.auth === false || (providerAuth(p)?.type ?? 'none') === 'none';
const push = <T>(list: T[], item: T, max: number) => {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
};

export class HealthMonitor implements HealthSource {
  readonly #o: HealthMonitorOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #timers: Timers;
  readonly #log: (line: string) => void;
  #file: HealthFile | null = null;
  readonly #probeTimers = new Map<string, unknown>();
  readonly #rounds = new Map<string, number>();
  #tick: unknown = null;
  #dirty = false;
  #transitionsDirty = false;
  #closed = false;
  #probing = true;
  #judging = true;
  /** Bumped when probing stops or starts: a round of an earlier generation ends without recording. */
  #generation = 0;
  #sent = 0;
  #writing: Promise<void> = Promise.resolve();
  readonly #saved = new Set<(history: HealthHistory, transitionsChanged: boolean) => void>();

  constructor(o: HealthMonitorOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.#random = o.random ?? Math.random;
    this.#timers = o.timers ?? realTimers;
    this.#log = o.log ?? (() => {});
  }

  async start(): Promise<void> {
    this.#file = await readHealthFile(this.#o.path, this.#log);
    this.sync();
    const tick = () => {
      if (this.#closed) return;
      this.evaluateAll();
      void this.flush();
      this.#tick = this.#timers.setTimeout(tick, this.#o.tickMs ?? 5000);
    };
    this.#tick = this.#timers.setTimeout(tick, this.#o.tickMs ?? 5000);
  }

  /** Starts probing new providers and stops probing removed or switched-off ones (call on every config load). */
  sync(): void {
    const s = this.#o.snapshot();
    if (!s || this.#closed || !this.#file) return;
    for (const [id, handle] of this.#probeTimers) {
      const p = s.providers.get(id);
      if (!p || !probed(p)) {
        this.#timers.clearTimeout(handle);
        this.#probeTimers.delete(id);
      }
    }
    for (const p of s.providers.values()) {
      if (this.#o.probes === false || !this.#probing || !probed(p) || this.#probeTimers.has(p.id)) continue;
      // The first probe soon, spread so that a hub with many providers does not probe them all at once.
      const first = Math.round(this.#random() * Math.min(this.#interval(p, s), 5000));
      this.#probeTimers.set(p.id, this.#timers.setTimeout(() => void this.#round(p.id), first));
    }
    this.evaluateAll();
  }

  #interval(p: CompiledProvider, s: ConfigSnapshot): number {
    return intervalMs(p, p.policy ? s.policies.get(p.policy) : undefined, this.#o.intervalMs);
  }

  #record(id: string): ProviderRecord {
    const f = this.#file!;
    return (f.providers[id] ??= { status: 'active', since: this.#now(), reason: 'not judged yet', probes: [], keys: {} });
  }

  /** One probe round of a provider: its default key (or no key) every time, other keys every KEY_ROUNDS-th round. */
  async #round(id: string): Promise<void> {
    const s = this.#o.snapshot();
    const p = s?.providers.get(id);
    if (!s || !p || !probed(p) || this.#closed) {
      this.#probeTimers.delete(id);
      return;
    }
    const generation = this.#generation;
    const cut = () => this.#closed || generation !== this.#generation;
    const round = (this.#rounds.get(id) ?? 0) + 1;
    this.#rounds.set(id, round);
    const deps = { upstream: this.#o.upstream, auth: this.#o.auth, now: this.#now };
    const rec = this.#record(id);
    let main: { result: ProbeResult; retryAfterMs?: number } | null = null;
    try {
      if (keyless(p)) {
        this.#sent++;
        main = await runProbe(p, undefined, {}, deps);
        if (cut()) return;
        push(rec.probes, main.result, MAX_PROBES);
      } else {
        const ring = s.keyrings.get(id);
        const keys = ring?.usable() ?? [];
        for (const [i, k] of keys.entries()) {
          if (i > 0 && round % KEY_ROUNDS !== 1) break;
          this.#sent++;
          const out = await runProbe(p, k.id, ring!.secretOf(k.id) ?? {}, deps);
          if (cut()) return;
          push((rec.keys[k.id] ??= []), out.result, MAX_KEY_PROBES);
          if (i === 0) {
            main = out;
            push(rec.probes, out.result, MAX_PROBES);
          }
        }
      }
    } catch (err) {
      this.#log(`health: probing ${id} failed: ${(err as Error).message}`);
    }
    // A probe cut short by the hub closing (or by losing the lead) says nothing of the provider.
    if (cut()) return;
    this.#dirty = true;
    this.evaluate(id);
    const interval = this.#interval(p, s);
    const wait = main?.retryAfterMs;
    const delay = nextDelay({ intervalMs: interval, floorMs: rateFloorMs(p.policy ? s.policies.get(p.policy) : undefined), failed: main ? !main.result.ok : false, ...(wait !== undefined ? { retryAfterMs: wait } : {}), random: this.#random() });
    this.#probeTimers.set(id, this.#timers.setTimeout(() => void this.#round(id), delay));
  }

  #circuits(): CircuitMap {
    const out: CircuitMap = new Map();
    for (const [key, state] of this.#o.circuits()) {
      const [provider, , keyId] = key.split('/');
      let e = out.get(provider);
      if (!e) out.set(provider, (e = { all: [], byKey: new Map() }));
      e.all.push(state);
      if (keyId && keyId !== '-') {
        const list = e.byKey.get(keyId) ?? [];
        list.push(state);
        e.byKey.set(keyId, list);
      }
    }
    return out;
  }

  #inputs(p: CompiledProvider, s: ConfigSnapshot, circuits: CircuitMap) {
    const rec = this.#record(p.id);
    const c = circuits.get(p.id);
    const ring = s.keyrings.get(p.id);
    const usable = new Set((ring?.usable() ?? []).map((k) => k.id));
    // The default key first (usable() puts it there): its probes stand for the provider's.
    const ordered = [...(ring?.usable() ?? []), ...(ring?.keys ?? []).filter((k) => !usable.has(k.id))];
    const keys: KeyInput[] = ordered.map((k) => {
      const states = c?.byKey.get(k.id);
      return { keyId: k.id, usable: usable.has(k.id), probes: rec.keys[k.id] ?? [], ...(states ? { circuit: worstCircuit(states) } : {}) };
    });
    const traffic = this.#o.traffic.provider(p.id, this.#now());
    const kl = keyless(p);
    return { rec, keys, traffic, circuits: c?.all ?? [], input: { enabled: p.enabled, keyless: kl, keys, probes: kl ? rec.probes : [], traffic, circuits: c?.all ?? [] } };
  }

  /** Re-judges one provider; records and emits a change. */
  evaluate(id: string, circuits = this.#circuits()): void {
    const s = this.#o.snapshot();
    const p = s?.providers.get(id);
    if (!s || !p || !this.#file || !this.#judging) return;
    const { rec, input } = this.#inputs(p, s, circuits);
    const v = providerStatus(input);
    const known = this.#file.transitions.some((t) => t.provider === id);
    if (known && v.status === rec.status) {
      if (rec.reason !== v.reason) rec.reason = v.reason;
      return;
    }
    const now = this.#now();
    const from: HealthStatus | null = known ? rec.status : null;
    this.#file.transitions.push({ provider: id, at: now, from, to: v.status, reason: v.reason });
    Object.assign(rec, { status: v.status, since: now, reason: v.reason });
    this.#dirty = true;
    this.#transitionsDirty = true;
    if (from !== null) {
      this.#log(`health: ${id} ${from} → ${v.status} (${v.reason})`);
      this.#o.events.emit('provider.status', { provider: id, from, to: v.status, reason: v.reason }, p.environment || undefined);
    }
  }

  evaluateAll(): void {
    const s = this.#o.snapshot();
    if (!s) return;
    const circuits = this.#circuits();
    for (const id of s.providers.keys()) this.evaluate(id, circuits);
  }

  all(): ProviderHealth[] {
    const s = this.#o.snapshot();
    if (!s) return [];
    return [...s.providers.keys()].map((id) => this.get(id)!).filter(Boolean);
  }

  get(id: string): ProviderHealth | undefined {
    const s = this.#o.snapshot();
    const p = s?.providers.get(id);
    if (!s || !p || !this.#file) return undefined;
    const circuits = this.#circuits();
    this.evaluate(id, circuits);
    const { rec, keys, traffic } = this.#inputs(p, s, circuits);
    const now = this.#now();
    return {
      provider: id,
      environment: p.environment,
      status: rec.status,
      since: rec.since,
      reason: rec.reason,
      ...(rec.probes.length ? { lastProbe: rec.probes[rec.probes.length - 1] } : {}),
      traffic: { ...traffic, windowMs: this.#o.traffic.windowMs },
      circuit: worstCircuit(circuits.get(id)?.all ?? []),
      keys: keys.map((k) => ({ keyId: k.keyId, status: keyStatus(k, p.enabled).status, ...(k.probes.length ? { lastProbe: k.probes[k.probes.length - 1] } : {}) })),
      uptime: uptimes(this.transitions(id), now),
    };
  }

  /** One provider's transitions, oldest first. */
  transitions(id: string): Transition[] {
    return (this.#file?.transitions ?? []).filter((t) => t.provider === id);
  }

  /** One provider's recent probe results, oldest first. */
  probes(id: string): ProbeResult[] {
    return [...(this.#file?.providers[id]?.probes ?? [])];
  }

  /** The provider's status and reason as last judged (no re-judging, no figures), for the alerts. */
  verdictOf(id: string): { status: HealthStatus; reason: string } | undefined {
    const r = this.#file?.providers[id];
    return r && { status: r.status, reason: r.reason };
  }

  /** Probe requests this instance sent since it started. */
  probesSent(): number {
    return this.#sent;
  }

  /** Starts (the leader) or stops (the other instances) active probes; a round in flight when they stop is not recorded. */
  setProbing(on: boolean): void {
    if (on === this.#probing) return;
    this.#probing = on;
    this.#generation++;
    for (const h of this.#probeTimers.values()) this.#timers.clearTimeout(h);
    this.#probeTimers.clear();
    if (on) this.sync();
  }

  /** Whether this instance judges statuses and records transitions (off: it shows the history adopted from the leader). */
  setJudging(on: boolean): void {
    this.#judging = on;
  }

  /** Takes another instance's records and transitions as its own (they are written to health.json as the fallback). */
  adopt(history: Partial<HealthHistory>): void {
    if (!this.#file || this.#closed) return;
    if (history.providers) this.#file.providers = history.providers;
    if (history.transitions) this.#file.transitions = history.transitions;
    this.#dirty = true;
  }

  /** Called with the history each time it is written (the leader shares it from there). */
  onSaved(listener: (history: HealthHistory, transitionsChanged: boolean) => void): () => void {
    this.#saved.add(listener);
    return () => this.#saved.delete(listener);
  }

  /** Writes the history when it changed; one write at a time. */
  flush(): Promise<void> {
    if (!this.#dirty || !this.#file) return this.#writing;
    this.#dirty = false;
    const f = this.#file;
    const before = f.transitions.length;
    f.transitions = pruneTransitions(f.transitions, this.#now());
    const transitionsChanged = this.#transitionsDirty || f.transitions.length !== before;
    this.#transitionsDirty = false;
    f.savedAt = this.#now();
    const body: HealthFile = JSON.parse(JSON.stringify(f));
    for (const l of this.#saved) {
      try {
        l({ providers: body.providers, transitions: body.transitions }, transitionsChanged);
      } catch (err) {
        this.#log(`health: a listener of the saved history failed: ${(err as Error).message}`);
      }
    }
    this.#writing = this.#writing.then(() => writeHealthFile(this.#o.path, body)).catch((err: Error) => {
      this.#dirty = true;
      this.#log(`health: cannot write ${this.#o.path}: ${err.message}`);
    });
    return this.#writing;
  }

  /** Stops probing; probes in flight are not recorded (call before closing the upstream). */
  stop(): void {
    this.#closed = true;
    for (const h of this.#probeTimers.values()) this.#timers.clearTimeout(h);
    this.#probeTimers.clear();
    if (this.#tick) this.#timers.clearTimeout(this.#tick);
  }

  async close(): Promise<void> {
    this.stop();
    await this.flush();
  }
}
