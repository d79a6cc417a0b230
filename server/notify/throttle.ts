// What keeps a channel quiet enough to read: each alert transition is sent at most once per
// channel, and a channel sends at most CAP messages in any WINDOW_MS; the rest are held back and
// counted, and the next message that goes out says how many were (the console has them all).
// Pure: the clock is a parameter.

export const CAP = 10;
export const WINDOW_MS = 15 * 60_000;
/** Transitions remembered for deduplication (oldest forgotten first). */
const REMEMBERED = 5_000;

export type ThrottleVerdict = { send: true; heldBack: number } | { send: false; why: 'duplicate' | 'capped' };

export class ChannelThrottle {
  readonly #seen = new Set<string>();
  readonly #sent = new Map<string, number[]>();
  readonly #held = new Map<string, number>();

  /** Whether `channel` may send the transition `key` now; a send is counted at once. */
  admit(channel: string, key: string, now: number): ThrottleVerdict {
    const id = `${channel}\u0000${key}`;
    if (this.#seen.has(id)) return { send: false, why: 'duplicate' };
    this.#seen.add(id);
    if (this.#seen.size > REMEMBERED) this.#seen.delete(this.#seen.values().next().value!);
    const recent = (this.#sent.get(channel) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= CAP) {
      this.#sent.set(channel, recent);
      this.#held.set(channel, (this.#held.get(channel) ?? 0) + 1);
      return { send: false, why: 'capped' };
    }
    recent.push(now);
    this.#sent.set(channel, recent);
    const heldBack = this.#held.get(channel) ?? 0;
    this.#held.delete(channel);
    return { send: true, heldBack };
  }
}

/** The key of one transition: a re-fire after a resolve is a new one. */
export function transitionKey(alertId: string, transition: 'firing' | 'resolved', firedAt: number): string {
  return `${alertId}\u0000${transition}\u0000${firedAt}`;
}
