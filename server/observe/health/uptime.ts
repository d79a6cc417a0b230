// Uptime from a provider's status transitions: the share of the time covered by the history in a
// window during which the provider was active or degraded. Time it was switched off (disabled)
// counts neither way. Pure.
import type { HealthTransition } from './types.ts';

export type Transition = HealthTransition;

export const WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type UptimeWindow = keyof typeof WINDOWS;

/**
 * `transitions`: one provider's, oldest first; the first one starts its history (from: null).
 * Returns null when the history does not reach into the window or the window holds only
 * disabled time.
 */
export function uptime(transitions: readonly Transition[], now: number, windowMs: number): number | null {
  const start = now - windowMs;
  let up = 0;
  let counted = 0;
  for (let i = 0; i < transitions.length; i++) {
    const t = transitions[i];
    const from = Math.max(t.at, start);
    const to = Math.min(i + 1 < transitions.length ? transitions[i + 1].at : now, now);
    if (to <= from || t.to === 'disabled') continue;
    counted += to - from;
    if (t.to === 'active' || t.to === 'degraded') up += to - from;
  }
  return counted > 0 ? up / counted : null;
}

export function uptimes(transitions: readonly Transition[], now: number): Record<UptimeWindow, number | null> {
  return { '24h': uptime(transitions, now, WINDOWS['24h']), '7d': uptime(transitions, now, WINDOWS['7d']), '30d': uptime(transitions, now, WINDOWS['30d']) };
}
