// Circuit breakers shared by the hub's instances through Redis (docs/proxy.md, "Several
// instances"). The proxy never waits on Redis here: a breaker that opens or closes tells the
// peers fire-and-forget, and what the peers tell arrives by pub/sub and is adopted in between
// requests.
// - `<prefix>circuits`: a hash of the open circuits, `provider/service/key` → `<openUntil>:<instance>`,
//   kept at the latest open period; read on every (re)connect, when this instance also writes
//   back the circuits open here (a restarted Redis forgot them).
// - `<prefix>circuits:events`: a channel of `{s: open|closed, k, u: openUntil, by}`, listened to
//   on a connection of its own (a subscribed connection can send nothing else).
// - `<prefix>circuit-probe:<key>:<openUntil>`: SET NX PX cooldown, so that one instance only
//   probes a circuit whose cooldown has passed.
// Without Redis, or while it is down, every breaker works on this instance alone.
import type { Redis } from 'ioredis';
import type { CircuitRegistry } from '../core/circuit-registry.ts';
import type { CircuitSharing } from '../proxy/target-choice.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';

/** KEYS: hash, channel. ARGV: circuit, openUntil, field value, message. Keeps the later period. */
const OPEN = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local u = tonumber(string.match(cur, '^([^:]+)'))
  if u and u >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1`;

/** KEYS: hash, channel. ARGV: circuit, openUntil of the period closed, message. A later period stays. */
const CLOSE = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local u = tonumber(string.match(cur, '^([^:]+)'))
  if u and u > tonumber(ARGV[2]) then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 1`;

/** An open circuit nobody probed for this long is forgotten when the state is read. */
const STALE_MS = 3_600_000;

interface Message { s: 'open' | 'closed'; k: string; u: number; by: string }

function parseMessage(text: string): Message | null {
  try {
    const m = JSON.parse(text) as Partial<Message>;
    if ((m.s !== 'open' && m.s !== 'closed') || typeof m.k !== 'string' || typeof m.u !== 'number' || !Number.isFinite(m.u) || typeof m.by !== 'string') return null;
    return m as Message;
  } catch {
    return null;
  }
}

export interface SharedCircuitsOptions {
  cluster: Pick<Cluster, 'instanceId' | 'connection' | 'onConnection'>;
  log: (line: string) => void;
  /** The clock of the breakers (default Date.now): open periods are compared across instances. */
  now?: () => number;
}

export class SharedCircuits implements CircuitSharing {
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #id: string;
  #registry: CircuitRegistry | null = null;
  #conn: RedisConnection | null = null;
  #subscriber: Redis | null = null;
  #offState: (() => void) | null = null;
  readonly #offConnection: () => void;

  constructor(opts: SharedCircuitsOptions) {
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.#id = opts.cluster.instanceId;
    this.#offConnection = opts.cluster.onConnection((conn) => this.#attach(conn));
    this.#attach(opts.cluster.connection());
  }

  follow(registry: CircuitRegistry): void {
    this.#registry = registry;
    void this.#sync();
  }

  opened(key: string, openUntil: number): void {
    const c = this.#up();
    if (!c) return;
    const message = JSON.stringify({ s: 'open', k: key, u: openUntil, by: this.#id } satisfies Message);
    c.client.eval(OPEN, 2, c.key('circuits'), c.key('circuits:events'), key, String(openUntil), `${openUntil}:${this.#id}`, message).catch(() => {});
  }

  closed(key: string, openUntil: number): void {
    const c = this.#up();
    if (!c) return;
    const message = JSON.stringify({ s: 'closed', k: key, u: openUntil, by: this.#id } satisfies Message);
    c.client.eval(CLOSE, 2, c.key('circuits'), c.key('circuits:events'), key, String(openUntil), message).catch(() => {});
  }

  claimProbe(key: string, openUntil: number, cooldownMs: number, answer: (won: boolean) => void): boolean {
    const c = this.#up();
    if (!c) return true;
    c.client.set(c.key(`circuit-probe:${key}:${openUntil}`), this.#id, 'PX', Math.max(1, Math.ceil(cooldownMs)), 'NX').then(
      (reply) => answer(reply === 'OK'),
      () => answer(true), // Redis went away: this instance decides alone, as without Redis
    );
    return false;
  }

  /** Stops listening (the hub's Cluster.close() ends the subscriber too, with its connection). */
  close(): void {
    this.#offConnection();
    this.#attach(null);
  }

  #up(): RedisConnection | null {
    return this.#conn?.state === 'up' ? this.#conn : null;
  }

  #attach(conn: RedisConnection | null): void {
    this.#offState?.();
    this.#offState = null;
    this.#subscriber?.disconnect();
    this.#subscriber = null;
    this.#conn = conn;
    if (!conn) return;
    const channel = conn.key('circuits:events');
    const sub = conn.duplicate({ connectionName: 'sil-circuits' });
    this.#subscriber = sub;
    // The main connection logs Redis errors; this one would repeat them.
    sub.on('error', () => {});
    sub.on('message', (_channel: string, text: string) => this.#adopt(text));
    sub.on('ready', () => {
      sub.subscribe(channel).then(() => this.#sync(), () => {});
    });
    // The connection closed for good (a new commit, the hub's close): so is its subscriber.
    conn.client.once('end', () => sub.disconnect());
    this.#offState = conn.onState((state) => {
      if (state === 'up') void this.#sync();
    });
  }

  #adopt(text: string): void {
    const m = parseMessage(text);
    const registry = this.#registry;
    if (!m || !registry || m.by === this.#id) return;
    if (m.s === 'open') registry.adoptOpen(m.k, m.u);
    else registry.adoptClosed(m.k, m.u);
  }

  /** After a (re)connect: writes back the circuits open here, then adopts the peers'. */
  async #sync(): Promise<void> {
    const c = this.#up();
    const registry = this.#registry;
    if (!c || !registry) return;
    const hash = c.key('circuits');
    try {
      for (const [key, openUntil] of [...registry.openCircuits()]) {
        const message = JSON.stringify({ s: 'open', k: key, u: openUntil, by: this.#id } satisfies Message);
        await c.client.eval(OPEN, 2, hash, c.key('circuits:events'), key, String(openUntil), `${openUntil}:${this.#id}`, message);
      }
      const open = await c.client.hgetall(hash);
      const staleBefore = this.#now() - STALE_MS;
      for (const [key, value] of Object.entries(open)) {
        const openUntil = Number(value.split(':')[0]);
        if (!Number.isFinite(openUntil) || openUntil < staleBefore) void c.client.hdel(hash, key).catch(() => {});
        else registry.adoptOpen(key, openUntil);
      }
    } catch (err) {
      // Redis went away again; the next reconnect syncs.
      this.#log(`circuits: cannot read the shared circuit state (${(err as Error).message}); this instance's own breakers decide meanwhile`);
    }
  }
}
