// The shapes of outgoing webhook deliveries (docs/webhooks.md): one delivery per event and
// subscription, kept with every attempt in data/state/webhooks/deliveries.jsonl.

export interface Attempt {
  /** Epoch ms the request started. */
  at: number;
  /** The receiver's HTTP status; null when no answer came (refused, timeout, address refused). */
  status: number | null;
  ms: number;
  error?: string;
  /** The start of the receiver's answer, at most 1 KB. */
  response?: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** `dlv_...`: this delivery (a replay is a new delivery). */
  id: string;
  /** The `webhook-id` header: the event's id, the same for every attempt and every replay. */
  webhookId: string;
  subscription: string;
  type: string;
  createdAt: number;
  /** The JSON body exactly as sent (and signed). */
  body: string;
  state: DeliveryState;
  attempts: Attempt[];
  /** Epoch ms of the next attempt while pending. */
  nextAt: number | null;
  /** Why a failed delivery stopped (schedule exhausted, 410 Gone, endpoint disabled...). */
  reason?: string;
  /** The delivery this one replays. */
  replayOf?: string;
  /**
   * With `redis:`: the shared fact (HubEvent.fact) the event reports, kept while the delivery waits
   * in the local journal for Redis, so that moving it there still queues the fact once.
   */
  fact?: string;
}

/** What is kept per endpoint in data/state/webhooks/endpoints.json. */
export interface EndpointState {
  /** Epoch ms of the first failed attempt since the last success. */
  failingSince?: number;
  lastSuccessAt?: number;
  /** Failed attempts since the last success (for retry.disableAfterFailures). */
  consecutiveFailures?: number;
  /** Set when the hub disabled the endpoint itself (failing 5 days, or 410 Gone). */
  disabledAt?: number;
  disabledReason?: string;
}
