// Where the proxy records what each request used and cost. In memory here, aggregated per
// client, binding, provider and model; the analytics issue persists and rolls it up.
import type { UsageFigures } from './usage.ts';

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
