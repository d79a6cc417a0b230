// Endpoint states (failing since, last success, disabled by the hub) in Redis, shared by the
// instances: one HASH, webhooks:endpoints, name → the state as JSON. The leader updates them as it
// attempts; an enable can come through any instance. An update reads, changes and writes the one
// field: concurrent updates of one endpoint are last-writer-wins, which is harmless here (the
// leader alone records attempts, and a disabled endpoint has no attempts to race an enable).
import type { RedisConnection } from '../cluster/redis-connection.ts';
import type { EndpointState } from './types.ts';

export class RedisEndpointStates {
  readonly #conn: RedisConnection;

  constructor(conn: RedisConnection) {
    this.#conn = conn;
  }

  get #key(): string {
    return this.#conn.key('webhooks:endpoints');
  }

  async read(name: string): Promise<EndpointState> {
    const json = await this.#conn.client.hget(this.#key, name);
    if (!json) return {};
    try {
      return JSON.parse(json) as EndpointState;
    } catch {
      return {};
    }
  }

  async write(name: string, state: EndpointState): Promise<void> {
    if (Object.keys(state).length === 0) await this.#conn.client.hdel(this.#key, name);
    else await this.#conn.client.hset(this.#key, name, JSON.stringify(state));
  }

  /** Sets a state only where Redis has none (this instance's states when Redis is switched on). */
  async seed(name: string, state: EndpointState): Promise<void> {
    if (Object.keys(state).length) await this.#conn.client.hsetnx(this.#key, name, JSON.stringify(state));
  }
}
