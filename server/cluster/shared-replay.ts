// Inbound webhook replays refused across instances (docs/inbound-webhooks.md): behind a load
// balancer a provider's retry or an attacker's replay may reach another instance than the first
// delivery did, so with Redis the first instance to accept a delivery claims its digest there
// (SET NX with the same expiry as the local memory). Without Redis, or while it is down, each
// instance's own memory decides, as a single hub does.
import type { Cluster } from './cluster.ts';

export interface SharedReplay {
  /** true: first to claim it; false: already accepted (by any instance); null: Redis unavailable. */
  claim(key: string, until: number, now: number): Promise<boolean | null>;
}

export function sharedReplay(cluster: Cluster): SharedReplay {
  return {
    async claim(key, until, now) {
      const conn = cluster.connection();
      if (!conn || conn.state !== 'up') return null;
      try {
        const answer = await conn.client.set(conn.key(`hook-replay:${key}`), '1', 'PX', Math.max(1000, Math.ceil(until - now)), 'NX');
        return answer === 'OK';
      } catch {
        return null;
      }
    },
  };
}
