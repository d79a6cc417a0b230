// Where the proxy reports each request: `outcome` once per request when the answer's head has
// gone out (or the request was refused), `record` once per answered request when its body has
// ended and what it used and cost is known (for a stream, later than the outcome). Observers
// (the usage store, the limiter, the metrics, the feedback index) are combined by fanOut().
import type { UsageFigures } from './usage.ts';
import type { AttemptRecord } from '../proxy/proxy-state.ts';

/** Every request the proxy handled, answered or refused. */
export interface RequestOutcome {
  requestId: string;
  /** When the answer's head went out (or the refusal), epoch milliseconds. */
  at: number;
  /** '' when the request was refused before these were known. */
  client: string;
  binding: string;
  door: 'unified' | 'bind';
  /** The last attempt's provider, model and key; absent when no attempt was made. */
  provider?: string;
  model?: string;
  keyId?: string;
  status: number;
  /** sil's error code when sil answered with an error (e.g. SIL_LIMIT_RATE), else absent. */
  errorCode?: string;
  /** To the answer's head (time to first byte for a stream). */
  latencyMs: number;
  attempts: number;
  failovers: number;
  /** Each attempt in order: provider, service, key, model, outcome, status, ms (read, do not keep). */
  attemptRecords: readonly AttemptRecord[];
  /** True when a provider's answer was passed on: `record` follows for this request id. */
  answered: boolean;
}

export interface UsageRecord {
  requestId: string;
  /** When the answer ended, epoch milliseconds. */
  at: number;
  client: string;
  binding: string;
  provider: string;
  model?: string;
  keyId: string;
  status: number;
  latencyMs: number;
  attempts: number;
  usage: UsageFigures;
  cost?: number;
  currency?: string;
}

export interface UsageRecorder {
  record(r: UsageRecord): void;
  outcome?(r: RequestOutcome): void;
}

/**
 * One recorder that hands every report to each of `recorders`, in order; one failing does not
 * stop the rest. The array is read on every call, so recorders may be added after this is made.
 */
export function fanOut(recorders: readonly UsageRecorder[], onError: (err: unknown) => void = () => {}): UsageRecorder {
  return {
    record(r) {
      for (const x of recorders) {
        try {
          x.record(r);
        } catch (err) {
          onError(err);
        }
      }
    },
    outcome(r) {
      for (const x of recorders) {
        if (!x.outcome) continue;
        try {
          x.outcome(r);
        } catch (err) {
          onError(err);
        }
      }
    },
  };
}

export interface UsageTotals { requests: number; inputTokens: number; outputTokens: number; cost: number }

/** Totals per `client|binding|provider|model`, bounded in the number of distinct keys. */
export class MemoryUsageRecorder implements UsageRecorder {
  readonly totals = new Map<string, UsageTotals>();
  readonly #maxKeys: number;

  constructor(maxKeys = 10_000) {
    this.#maxKeys = maxKeys;
  }

  record(r: UsageRecord): void {
    const key = `${r.client}|${r.binding}|${r.provider}|${r.model ?? ''}`;
    let t = this.totals.get(key);
    if (!t) {
      if (this.totals.size >= this.#maxKeys) return;
      this.totals.set(key, (t = { requests: 0, inputTokens: 0, outputTokens: 0, cost: 0 }));
    }
    t.requests++;
    t.inputTokens += r.usage.inputTokens ?? 0;
    t.outputTokens += r.usage.outputTokens ?? 0;
    t.cost += r.cost ?? 0;
  }
}
