// POST /v1/feedback behind a load balancer: the score may reach another instance than the one
// that answered the request. With Redis, an instance that does not know the request id publishes
// the question on <prefix>feedback; the instance that answered it applies the score and leaves
// the verdict under <prefix>feedback-reply:<question id> (10 s), which the asking instance polls
// for up to `waitMs`. No answer in time (or no Redis) → the caller gets the usual unknown-request
// error. Questions carry the client's name: a score is taken only from the client that made it.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConfigSnapshot } from '../config/snapshot.ts';
import { scoreRequest, type ScoreTarget } from '../observe/analytics/score-request.ts';
import type { Cluster } from './cluster.ts';
import type { RedisConnection } from './redis-connection.ts';

const CHANNEL = 'feedback';
const REPLY_TTL_MS = 10_000;

interface Question { q: string; from: string; requestId: string; client: string; score: number }

export interface FeedbackRelayOptions {
  cluster: Cluster;
  target: ScoreTarget;
  snapshot: () => ConfigSnapshot | null;
  log: (line: string) => void;
  /** How long the asking instance waits for a peer's verdict (default 1000 ms). */
  waitMs?: number;
  now?: () => number;
}

export class FeedbackRelay {
  readonly #o: FeedbackRelayOptions;
  #subscriber: Redis | null = null;
  #off: (() => void) | null = null;

  constructor(opts: FeedbackRelayOptions) {
    this.#o = opts;
  }

  start(): void {
    this.#off = this.#o.cluster.onConnection((conn) => this.#subscribe(conn));
    this.#subscribe(this.#o.cluster.connection());
  }

  async ask(requestId: string, client: string, score: number): Promise<{ counted: boolean } | null> {
    const conn = this.#o.cluster.connection();
    if (!conn || conn.state !== 'up') return null;
    const q: Question = { q: randomUUID(), from: this.#o.cluster.instanceId, requestId, client, score };
    try {
      // Only this instance listening: nobody else could know the request.
      if ((await conn.client.publish(conn.key(CHANNEL), JSON.stringify(q))) < 2) return null;
      const deadline = Date.now() + (this.#o.waitMs ?? 1000);
      for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 50)) {
        await new Promise((r) => setTimeout(r, wait));
        const reply = await conn.client.get(conn.key(`feedback-reply:${q.q}`));
        if (reply) return { counted: (JSON.parse(reply) as { counted: boolean }).counted };
      }
    } catch {
      // Redis went away while asking: the request counts as unknown.
    }
    return null;
  }

  #subscribe(conn: RedisConnection | null): void {
    this.#subscriber?.disconnect();
    this.#subscriber = null;
    if (!conn) return;
    const sub = conn.duplicate({ enableOfflineQueue: true });
    sub.on('error', () => {});
    sub.on('message', (_channel: string, text: string) => void this.#answer(conn, text));
    void sub.subscribe(conn.key(CHANNEL)).catch(() => {});
    this.#subscriber = sub;
  }

  async #answer(conn: RedisConnection, text: string): Promise<void> {
    let q: Question;
    try {
      q = JSON.parse(text) as Question;
    } catch {
      return;
    }
    if (q.from === this.#o.cluster.instanceId || typeof q.requestId !== 'string' || typeof q.client !== 'string' || typeof q.score !== 'number' || !(q.score >= 0 && q.score <= 1)) return;
    const verdict = scoreRequest(this.#o.target, this.#o.snapshot(), q.requestId, q.client, q.score, (this.#o.now ?? Date.now)());
    if (!verdict.found) return;
    await conn.client.set(conn.key(`feedback-reply:${q.q}`), JSON.stringify({ counted: verdict.counted }), 'PX', REPLY_TTL_MS).catch((err: Error) => this.#o.log(`feedback: cannot answer a peer: ${err.message}`));
  }

  close(): void {
    this.#off?.();
    this.#subscriber?.disconnect();
    this.#subscriber = null;
  }
}
