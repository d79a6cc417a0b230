// The headers that say what happened to a request's attempts: on every answer the proxy passes
// on, and on its own error answers once an attempt was made or a target passed over.
import type { ProxyState } from './proxy-state.ts';

/** At most this much of the reasons goes into the header (the full list is in the request log). */
const MAX_REASONS = 512;

export function failoverReasonHeader(state: ProxyState): string | undefined {
  return state.failoverReasons.length ? state.failoverReasons.join('; ').replace(/[\r\n]/g, ' ').slice(0, MAX_REASONS) : undefined;
}

/** x-sil-attempts and x-sil-failover-reason for an error answer; empty before the forward stage. */
export function outcomeHeaders(state: ProxyState): Record<string, string> {
  const out: Record<string, string> = {};
  if (state.attempts.length === 0 && state.failoverReasons.length === 0) return out;
  out['x-sil-attempts'] = String(state.attempts.length);
  const reasons = failoverReasonHeader(state);
  if (reasons) out['x-sil-failover-reason'] = reasons;
  return out;
}
