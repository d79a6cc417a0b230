// Deliveries already accepted, remembered until their signature could no longer pass the
// timestamp check (or for a day when the scheme has no timestamp), so a replay is refused.
// Keys are SHA-256 digests (no event ids or signatures kept in clear); bounded in count, the
// oldest forgotten first. Saved to data/state by state-file.ts so a restart keeps the window shut.
import { createHash } from 'node:crypto';

export interface ReplayEntry { key: string; until: number }

export class ReplayMemory {
  readonly #entries = new Map<string, number>();
  readonly #max: number;
  #version = 0;

  constructor(opts: { max?: number } = {}) {
    this.#max = opts.max ?? 50_000;
  }

  static keyOf(provider: string, id: string): string {
    return createHash('sha256').update(`${provider}\n${id}`).digest('base64url').slice(0, 32);
  }

  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string, now: number): boolean {
    const until = this.#entries.get(key);
    return until !== undefined && until > now;
  }

  remember(key: string, until: number, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, until);
    this.#version++;
    if (this.#entries.size > this.#max) this.sweep(now);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }

  sweep(now: number): void {
    for (const [k, until] of this.#entries) if (until <= now) this.#entries.delete(k);
  }

  dump(now: number): ReplayEntry[] {
    const out: ReplayEntry[] = [];
    for (const [key, until] of this.#entries) if (until > now) out.push({ key, until });
    return out;
  }

  load(entries: readonly ReplayEntry[], now: number): void {
    for (const e of entries) if (typeof e?.key === 'string' && typeof e.until === 'number' && e.until > now) this.#entries.set(e.key, e.until);
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
