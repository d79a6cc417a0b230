// The delivery queue and log in Redis, shared by the instances (sil.yaml `redis:`), under the
// hub's key prefix:
//   webhooks:deliveries     HASH  id → the delivery as JSON (with its attempts)
//   webhooks:due            ZSET  id → when it is due (pending deliveries only)
//   webhooks:log:<name>     ZSET  id → createdAt (a subscription's deliveries, for the log)
//   webhooks:done:<name>    ZSET  id → createdAt (its finished ones, for the retention)
// Every instance queues here; the leader claims due deliveries: the claim moves a delivery's due
// score to now + claimMs, so a leader that dies mid-attempt leaves it to the next leader once the
// claim runs out (at least once, same webhook-id). Recording the attempt sets the real next time.
// Finished deliveries are kept as the journal keeps them (30 days, 1,000 per subscription);
// pending ones are never dropped. Each change is one Lua script: atomic across instances.
import type { RedisConnection } from '../cluster/redis-connection.ts';
import { DEFAULT_RETENTION, type Retention } from './delivery-journal.ts';
import type { DeliveryStore } from './delivery-store.ts';
import type { Delivery } from './types.ts';

const SAVE = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
local drop = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[7])
local over = redis.call('ZCARD', KEYS[4]) - #drop - tonumber(ARGV[6])
if over > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], #drop, #drop + over - 1)) do drop[#drop + 1] = id end
end
for _, id in ipairs(drop) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZREM', KEYS[4], id)
end
return #drop`;

const CLAIM = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    out[#out + 1] = json
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`;

export class RedisDeliveryStore implements DeliveryStore {
  readonly shared = true;
  readonly #conn: RedisConnection;
  readonly #claimMs: number;
  readonly #retention: Retention;

  /** `claimMs`: how long a claimed delivery stays hidden from the other instances (longer than an attempt). */
  constructor(conn: RedisConnection, opts: { claimMs: number; retention?: Retention }) {
    this.#conn = conn;
    this.#claimMs = opts.claimMs;
    this.#retention = opts.retention ?? DEFAULT_RETENTION;
  }

  get connection(): RedisConnection {
    return this.#conn;
  }

  #key(name: string): string {
    return this.#conn.key(`webhooks:${name}`);
  }

  async get(id: string): Promise<Delivery | undefined> {
    return parse(await this.#conn.client.hget(this.#key('deliveries'), id));
  }

  async list(subscription: string): Promise<Delivery[]> {
    const ids = await this.#conn.client.zrevrange(this.#key(`log:${subscription}`), 0, -1);
    return this.#many(ids);
  }

  async pendingOf(subscription: string): Promise<Delivery[]> {
    const ids = await this.#conn.client.zrange(this.#key('due'), 0, -1);
    return (await this.#many(ids)).filter((d) => d.subscription === subscription && d.state === 'pending');
  }

  async save(d: Delivery, now: number): Promise<void> {
    const pending = d.state === 'pending' && d.nextAt !== null;
    await this.#conn.client.eval(SAVE, 4, this.#key('deliveries'), this.#key('due'), this.#key(`log:${d.subscription}`), this.#key(`done:${d.subscription}`),
      d.id, JSON.stringify(d), pending ? '1' : '0', String(d.nextAt ?? 0), String(d.createdAt), String(this.#retention.perSubscription), String(now - this.#retention.maxAgeMs));
  }

  async claimDue(now: number, max: number, exclude: ReadonlySet<string>): Promise<Delivery[]> {
    if (max <= 0) return [];
    const found = (await this.#conn.client.eval(CLAIM, 2, this.#key('due'), this.#key('deliveries'), String(now), String(max), String(now + this.#claimMs))) as string[];
    return found.map(parse).filter((d): d is Delivery => d !== undefined && d.state === 'pending' && !exclude.has(d.id));
  }

  async release(d: Delivery): Promise<void> {
    if (d.nextAt !== null) await this.#conn.client.zadd(this.#key('due'), 'XX', d.nextAt, d.id);
  }

  nextDue(): number | null {
    return null;
  }

  async close(): Promise<void> {}

  async #many(ids: string[]): Promise<Delivery[]> {
    if (!ids.length) return [];
    const found = await this.#conn.client.hmget(this.#key('deliveries'), ...ids);
    return found.map(parse).filter((d): d is Delivery => d !== undefined);
  }
}

function parse(json: string | null | undefined): Delivery | undefined {
  if (!json) return undefined;
  try {
    const d = JSON.parse(json) as Delivery;
    return typeof d.id === 'string' && typeof d.webhookId === 'string' ? d : undefined;
  } catch {
    return undefined;
  }
}
