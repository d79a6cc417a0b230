// Per endpoint: failing since when, last success, and whether the hub disabled it by itself —
// data/state/webhooks/endpoints.json, written atomically on every change (changes are rare:
// the first failure after a success, a success after failures, a disable, an enable).
import { join } from 'node:path';
import { readJsonFile, serial, writeJsonFile } from '../api/owner/json-file.ts';
import type { EndpointStore } from './delivery-store.ts';
import type { EndpointState } from './types.ts';

export class EndpointStates implements EndpointStore {
  readonly #path: string;
  readonly #states: Map<string, EndpointState>;
  readonly #serial = serial();

  private constructor(path: string, states: Map<string, EndpointState>) {
    this.#path = path;
    this.#states = states;
  }

  static async open(dir: string, log: (line: string) => void): Promise<EndpointStates> {
    const path = join(dir, 'endpoints.json');
    let states = new Map<string, EndpointState>();
    try {
      const v = (await readJsonFile(path)) as { endpoints?: Record<string, EndpointState> } | undefined;
      states = new Map(Object.entries(v?.endpoints ?? {}));
    } catch (err) {
      log(`webhooks: ${(err as Error).message}; endpoint states start empty`);
    }
    return new EndpointStates(path, states);
  }

  get(name: string): EndpointState {
    return this.#states.get(name) ?? {};
  }

  async read(name: string): Promise<EndpointState> {
    return this.get(name);
  }

  /** Every endpoint with a state (what is seeded into Redis when it is switched on). */
  entries(): [string, EndpointState][] {
    return [...this.#states];
  }

  /** Applies `change`; writes when it changed something. */
  async update(name: string, change: (s: EndpointState) => EndpointState): Promise<EndpointState> {
    const before = this.get(name);
    const after = change({ ...before });
    if (JSON.stringify(before) === JSON.stringify(after)) return after;
    if (Object.keys(after).length === 0) this.#states.delete(name);
    else this.#states.set(name, after);
    const snapshot = { version: 1, endpoints: Object.fromEntries(this.#states) };
    await this.#serial(() => writeJsonFile(this.#path, snapshot));
    return after;
  }
}
