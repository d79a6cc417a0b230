// A circuit breaker per target (provider/service/key): it opens when the error rate over a
// sliding window passes a threshold, refuses requests for a cooldown, then lets one probe
// through (half-open); the probe's result closes it or opens it again. The clock is injected.
//
// With peers (several instances, server/cluster/shared-circuits.ts) a breaker tells them when it
// opens and when its probe closes it, takes their open and close as its own (adoptOpen,
// adoptClosed), and lets its half-open probe through only once the peers granted it the probe of
// that open period (claimProbe, answered asynchronously: allow() never waits). The error window
// stays this instance's own.

export interface CircuitBreakerConfig {
  /** Error share (0 < x <= 1) that opens the circuit. */
  errorRate?: number;
  /** Requests the window must hold before the rate counts. */
  minRequests?: number;
  windowSeconds?: number;
  cooldownSeconds?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** The other instances a breaker shares its open and closed state with. */
export interface CircuitPeers {
  /** This instance's breaker `key` opened until `openUntil` (epoch ms of the injected clock). */
  opened(key: string, openUntil: number): void;
  /** Its probe closed the open period that ended at `openUntil`. */
  closed(key: string, openUntil: number): void;
  /**
   * Asks for the single probe of the open period ending at `openUntil`. Returns true when this
   * instance may probe at once (no shared state reachable); else false, and `answer` is called later.
   */
  claimProbe(key: string, openUntil: number, cooldownMs: number, answer: (won: boolean) => void): boolean;
}

const CLAIM_NONE = 0;
const CLAIM_PENDING = 1;
const CLAIM_WON = 2;

export const BREAKER_DEFAULTS: Readonly<Required<CircuitBreakerConfig>> = Object.freeze({
  errorRate: 0.5, minRequests: 20, windowSeconds: 60, cooldownSeconds: 30,
});

/** Buckets per window: memory is fixed whatever the traffic. */
export const WINDOW_BUCKETS = 10;

function resolve(config: CircuitBreakerConfig | undefined): Required<CircuitBreakerConfig> {
  return {
    errorRate: config?.errorRate ?? BREAKER_DEFAULTS.errorRate,
    minRequests: config?.minRequests ?? BREAKER_DEFAULTS.minRequests,
    windowSeconds: config?.windowSeconds ?? BREAKER_DEFAULTS.windowSeconds,
    cooldownSeconds: config?.cooldownSeconds ?? BREAKER_DEFAULTS.cooldownSeconds,
  };
}

function sameConfig(a: Required<CircuitBreakerConfig>, b: Required<CircuitBreakerConfig>): boolean {
  return a.errorRate === b.errorRate && a.minRequests === b.minRequests
    && a.windowSeconds === b.windowSeconds && a.cooldownSeconds === b.cooldownSeconds;
}

export class CircuitBreaker {
  #config: Required<CircuitBreakerConfig>;
  readonly #now: () => number;
  #bucketMs: number;
  /** Per bucket: the bucket number (time / bucketMs) it counts for, requests, failures. */
  readonly #epoch = new Array<number>(WINDOW_BUCKETS).fill(-1);
  readonly #total = new Array<number>(WINDOW_BUCKETS).fill(0);
  readonly #failed = new Array<number>(WINDOW_BUCKETS).fill(0);
  #openUntil = 0;
  #open = false;
  /** When the half-open probe was let through, or -1 when none is out. */
  #probeSince = -1;
  readonly #key: string;
  readonly #peers: CircuitPeers | null;
  /** The peers' probe of this open period: none asked, asked, granted to this instance. */
  #claim = CLAIM_NONE;
  /** A peer probes: refused here until then (or until the peer's result arrives). */
  #peerProbeUntil = 0;

  /** The config object last applied: the same (frozen snapshot) object needs no comparison. */
  #given: CircuitBreakerConfig | undefined;

  constructor(config: CircuitBreakerConfig | undefined, now: () => number, shared?: { key: string; peers: CircuitPeers }) {
    this.#key = shared?.key ?? '';
    this.#peers = shared?.peers ?? null;
    this.#given = config;
    this.#config = resolve(config);
    this.#now = now;
    this.#bucketMs = (this.#config.windowSeconds * 1000) / WINDOW_BUCKETS;
  }

  get config(): Readonly<Required<CircuitBreakerConfig>> {
    return this.#config;
  }

  /** Applies a changed config (a new commit) and keeps the state; a new window length forgets the counts. */
  reconfigure(config: CircuitBreakerConfig | undefined): void {
    if (config === this.#given) return;
    this.#given = config;
    const next = resolve(config);
    if (sameConfig(next, this.#config)) return;
    if (next.windowSeconds !== this.#config.windowSeconds) this.#resetWindow();
    this.#config = next;
    this.#bucketMs = (next.windowSeconds * 1000) / WINDOW_BUCKETS;
  }

  state(): CircuitState {
    if (!this.#open) return 'closed';
    return this.#now() >= this.#openUntil ? 'half-open' : 'open';
  }

  /** Whether allow() would let a request through now, without taking the half-open probe. */
  wouldAllow(): boolean {
    if (!this.#open) return true;
    const now = this.#now();
    if (now < this.#openUntil || now < this.#peerProbeUntil) return false;
    return !this.#probeOut(now);
  }

  /** Closed: yes. Open: no until the cooldown has passed; then exactly one probe goes through. */
  allow(): boolean {
    if (!this.#open) return true;
    const now = this.#now();
    if (now < this.#openUntil || now < this.#peerProbeUntil || this.#probeOut(now)) return false;
    if (this.#peers && this.#claim !== CLAIM_WON && !this.#claimProbe()) return false;
    this.#claim = CLAIM_NONE;
    this.#probeSince = now;
    return true;
  }

  /** When the open circuit lets its probe through (epoch ms); 0 while closed. */
  get openUntil(): number {
    return this.#open ? this.#openUntil : 0;
  }

  /** A peer opened this circuit until `openUntil`: refuse until then too (a later period wins). */
  adoptOpen(openUntil: number): void {
    if (this.#open && this.#openUntil >= openUntil) return;
    this.#open = true;
    this.#openUntil = openUntil;
    this.#probeSince = -1;
    this.#resetWindow();
    this.#resetClaim();
  }

  /** A peer's probe closed the open period ending at `openUntil` (a later period stays open). */
  adoptClosed(openUntil: number): void {
    if (!this.#open || this.#openUntil > openUntil) return;
    this.#close();
  }

  /** Whether the probe may go now; asks the peers once per open period otherwise. */
  #claimProbe(): boolean {
    if (this.#claim === CLAIM_PENDING) return false;
    const period = this.#openUntil;
    const cooldownMs = this.#config.cooldownSeconds * 1000;
    this.#claim = CLAIM_PENDING;
    const now = this.#peers!.claimProbe(this.#key, period, cooldownMs, (won) => {
      if (!this.#open || this.#openUntil !== period || this.#claim !== CLAIM_PENDING) return;
      this.#claim = won ? CLAIM_WON : CLAIM_NONE;
      // A peer holds the probe: wait for its result (or, should it never come, one cooldown).
      if (!won) this.#peerProbeUntil = this.#now() + cooldownMs;
    });
    if (now) this.#claim = CLAIM_NONE;
    return now;
  }

  #resetClaim(): void {
    this.#claim = CLAIM_NONE;
    this.#peerProbeUntil = 0;
  }

  /** The result of a request allow() let through. */
  record(success: boolean): void {
    const now = this.#now();
    if (this.#open) {
      // Results of requests sent before the circuit opened are ignored; once the probe is out,
      // the next result decides (the probe's, normally).
      if (now < this.#openUntil || this.#probeSince < 0) return;
      const period = this.#openUntil;
      if (success) {
        this.#close();
        this.#peers?.closed(this.#key, period);
      } else this.#trip(now);
      return;
    }
    const b = this.#bucket(now);
    this.#total[b]++;
    if (!success) this.#failed[b]++;
    const { requests, failures } = this.#counts(now);
    if (requests >= this.#config.minRequests && failures / requests >= this.#config.errorRate) this.#trip(now);
  }

  /** Requests and failures in the window ending now (for metrics and tests). */
  window(): { requests: number; failures: number } {
    return this.#counts(this.#now());
  }

  /** A probe that never reported (an aborted request) is given up after one cooldown. */
  #probeOut(now: number): boolean {
    return this.#probeSince >= 0 && now - this.#probeSince < this.#config.cooldownSeconds * 1000;
  }

  #trip(now: number): void {
    this.#open = true;
    this.#openUntil = now + this.#config.cooldownSeconds * 1000;
    this.#probeSince = -1;
    this.#resetWindow();
    this.#resetClaim();
    this.#peers?.opened(this.#key, this.#openUntil);
  }

  #close(): void {
    this.#open = false;
    this.#openUntil = 0;
    this.#probeSince = -1;
    this.#resetWindow();
    this.#resetClaim();
  }

  #resetWindow(): void {
    this.#epoch.fill(-1);
    this.#total.fill(0);
    this.#failed.fill(0);
  }

  #bucket(now: number): number {
    const epoch = Math.floor(now / this.#bucketMs);
    const i = epoch % WINDOW_BUCKETS;
    if (this.#epoch[i] !== epoch) {
      this.#epoch[i] = epoch;
      this.#total[i] = 0;
      this.#failed[i] = 0;
    }
    return i;
  }

  #counts(now: number): { requests: number; failures: number } {
    const current = Math.floor(now / this.#bucketMs);
    let requests = 0;
    let failures = 0;
    for (let i = 0; i < WINDOW_BUCKETS; i++) {
      const e = this.#epoch[i];
      if (e > current - WINDOW_BUCKETS && e <= current) {
        requests += this.#total[i];
        failures += this.#failed[i];
      }
    }
    return { requests, failures };
  }
}
