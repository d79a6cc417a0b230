// What the limiter reports about its counters, for the analytics (recommendations, budget
// forecasts) and the console's policies screen. The limiter (this folder) implements LimitStatusSource.

export type LimitKind = 'rate' | 'quota.requests' | 'quota.tokens' | 'budget';

export interface LimitStatus {
  policy: string;
  /** What the policy is attached to, and for client-binding scope both names ("web/chat"). */
  attachedTo: { kind: 'client' | 'binding' | 'provider'; name: string };
  /** The counter's scope key, e.g. "client:web" or "client-binding:web/chat". */
  scope: string;
  limit: LimitKind;
  /** Used so far in this period (requests, tokens incl. reserved, or cost). */
  used: number;
  max: number;
  /** Currency of a budget. */
  currency?: string;
  /** Start and end of the current period (rate: when the bucket is full again), epoch ms. */
  periodStart: number;
  resetsAt: number;
  /** Budgets: block or alert when spent. */
  onExceeded?: 'alert' | 'block';
}

export interface LimitStatusSource {
  status(now?: number): LimitStatus[];
  /** Requests refused so far per policy and limit kind, since the hub started (for /metrics). */
  rejections(): ReadonlyMap<string, number>; // key `${policy}|${kind}`
}
