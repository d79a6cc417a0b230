// Queues a shared fact (HubEvent.fact: a commit applied or rejected, a key rotated) once across
// instances: the first instance to SET NX the fact's key with its event id queues it; the others
// drop their own event of the same fact. The key lives 30 days (the delivery log's retention): an
// instance that first sees a fact later than that reports it again.
import type { RedisConnection } from '../cluster/redis-connection.ts';

export const FACT_TTL_SECONDS = 30 * 86_400;

/**
 * Whether the event `webhookId` is the one that reports `fact` (true for the first to claim it,
 * and again for that same event: a delivery moved into Redis after it was claimed). Throws while
 * Redis is unreachable.
 */
export async function claimFact(conn: RedisConnection, fact: string, webhookId: string): Promise<boolean> {
  const key = conn.key(`events:fact:${fact}`);
  if ((await conn.client.set(key, webhookId, 'EX', FACT_TTL_SECONDS, 'NX')) === 'OK') return true;
  return (await conn.client.get(key)) === webhookId;
}
