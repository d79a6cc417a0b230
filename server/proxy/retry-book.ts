// What one request learnt from its failed attempts, per target and key: the Retry-After each
// asked for, and the pairs not to try again. Created only when a request fails over.
import type { CompiledTarget } from '../config/snapshot.ts';

export interface PlannedPair {
  target: CompiledTarget;
  keyId: string | null;
  repeat: boolean;
}

const pairOf = (a: PlannedPair) => `${a.target.provider}/${a.target.service}/${a.keyId ?? '-'}`;

export class RetryBook {
  readonly #retryAfter = new Map<string, number>();
  readonly #skipped = new Set<string>();

  setRetryAfter(a: PlannedPair, ms: number): void {
    this.#retryAfter.set(pairOf(a), ms);
  }

  retryAfterOf(a: PlannedPair): number | undefined {
    return this.#retryAfter.get(pairOf(a));
  }

  skip(a: PlannedPair): void {
    this.#skipped.add(pairOf(a));
  }

  skipped(a: PlannedPair): boolean {
    return this.#skipped.has(pairOf(a));
  }

  /** Whether the attempt will be sent: not skipped, and not a repeat behind a Retry-After longer than `maxRetryAfterMs`. */
  willSend(a: PlannedPair, maxRetryAfterMs: number): boolean {
    const pair = pairOf(a);
    return !this.#skipped.has(pair) && !(a.repeat && (this.#retryAfter.get(pair) ?? 0) > maxRetryAfterMs);
  }
}
