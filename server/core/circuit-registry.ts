// The breakers of one process, keyed by `provider/service/key` (circuitKey), created on first use
// and shared with peers when there are any (server/cluster/shared-circuits.ts).
import { CircuitBreaker, type CircuitBreakerConfig, type CircuitPeers, type CircuitState } from './circuit-breaker.ts';

/** The registry key of a target's breaker; `keyId` null for services that need no key. */
export function circuitKey(provider: string, service: string, keyId: string | null): string {
  return `${provider}/${service}/${keyId ?? '-'}`;
}

export interface CircuitRegistryOptions {
  /** Above this many breakers, idle ones are dropped (default 10,000). */
  maxEntries?: number;
  /** How long unused before a breaker may be dropped (default 1 hour). */
  idleMs?: number;
  /** The other instances breakers share their state with (none: this instance's own). */
  peers?: CircuitPeers;
}

/**
 * The breakers of one process, keyed by `provider/service/key`, created on first use. Entries are
 * kept in least-recently-used order, so dropping idle ones stops at the first recent one.
 */
export class CircuitRegistry {
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #idleMs: number;
  readonly #peers: CircuitPeers | undefined;
  readonly #entries = new Map<string, { breaker: CircuitBreaker; usedAt: number }>();

  constructor(now: () => number, options: CircuitRegistryOptions = {}) {
    this.#now = now;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#idleMs = options.idleMs ?? 3_600_000;
    this.#peers = options.peers;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The breaker for `key`, created with `config` if new, reconfigured if the config changed. */
  get(key: string, config?: CircuitBreakerConfig): CircuitBreaker {
    const now = this.#now();
    const found = this.#entries.get(key);
    if (found) {
      // Kept in least-recently-used order for #dropIdle, at a granularity of a second: moving
      // an entry to the end costs a delete and an insert, too much for every request.
      if (now - found.usedAt > 1000) {
        this.#entries.delete(key);
        this.#entries.set(key, found);
      }
      found.usedAt = now;
      found.breaker.reconfigure(config);
      return found.breaker;
    }
    const breaker = new CircuitBreaker(config, this.#now, this.#peers ? { key, peers: this.#peers } : undefined);
    this.#entries.set(key, { breaker, usedAt: now });
    if (this.#entries.size > this.#maxEntries) this.#dropIdle(now);
    return breaker;
  }

  /** The breaker for `key` if there is one, without touching it. */
  peek(key: string): CircuitBreaker | undefined {
    return this.#entries.get(key)?.breaker;
  }

  /**
   * A non-consuming check for the planner: no breaker yet means closed. The proxy calls the
   * breaker's allow() right before it sends, so planning never takes a half-open probe.
   */
  wouldAllow(key: string): boolean {
    return this.#entries.get(key)?.breaker.wouldAllow() ?? true;
  }

  /** Each breaker's key and state, for /metrics; reading does not count as use. */
  *states(): IterableIterator<[key: string, state: CircuitState]> {
    for (const [key, entry] of this.#entries) yield [key, entry.breaker.state()];
  }

  /** A peer opened `key` until `openUntil`: its breaker (made if new) refuses until then. */
  adoptOpen(key: string, openUntil: number): void {
    (this.peek(key) ?? this.get(key)).adoptOpen(openUntil);
  }

  /** A peer's probe closed the open period of `key` ending at `openUntil`. */
  adoptClosed(key: string, openUntil: number): void {
    this.peek(key)?.adoptClosed(openUntil);
  }

  /** The open breakers and until when (to tell a Redis that lost them). */
  *openCircuits(): IterableIterator<[key: string, openUntil: number]> {
    for (const [key, entry] of this.#entries) if (entry.breaker.openUntil > 0) yield [key, entry.breaker.openUntil];
  }

  #dropIdle(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.usedAt < this.#idleMs) break;
      this.#entries.delete(key);
    }
  }
}
