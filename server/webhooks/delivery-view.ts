// Deliveries as the admin API shows them: a summary per row of the log, in full (body and
// every attempt) for one. Times as ISO strings.
import type { Delivery } from './types.ts';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function deliverySummary(d: Delivery) {
  const last = d.attempts.at(-1);
  return {
    id: d.id,
    webhookId: d.webhookId,
    webhook: d.subscription,
    type: d.type,
    state: d.state,
    createdAt: iso(d.createdAt),
    attempts: d.attempts.length,
    lastStatus: last ? last.status : null,
    ...(last ? { lastMs: last.ms } : {}),
    ...(last?.error ? { lastError: last.error } : {}),
    nextAt: iso(d.nextAt),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.replayOf ? { replayOf: d.replayOf } : {}),
  };
}

export function deliveryDetail(d: Delivery) {
  return {
    ...deliverySummary(d),
    body: d.body,
    attemptLog: d.attempts.map((a) => ({ at: iso(a.at), status: a.status, ms: a.ms, ...(a.error ? { error: a.error } : {}), ...(a.response ? { response: a.response } : {}) })),
  };
}
