// The Redis a hub shares state through (sil.yaml `redis:`), resolved with the secrets the
// repository never holds: SIL_REDIS_PASSWORD and SIL_REDIS_USERNAME from the environment.
import type { HubSettings } from '../../schemas/types.gen.ts';

export type FailMode = 'local' | 'open' | 'closed';

export interface RedisSettings {
  url: string;
  keyPrefix: string;
  failMode: FailMode;
  connectTimeoutMs: number;
  username?: string;
  password?: string;
}

export function redisSettingsOf(settings: Readonly<HubSettings> | undefined | null, env: NodeJS.ProcessEnv = process.env): RedisSettings | null {
  const r = settings?.redis;
  if (!r) return null;
  return {
    url: r.url,
    keyPrefix: r.keyPrefix ?? 'sil:',
    failMode: (r.failMode ?? 'local') as FailMode,
    connectTimeoutMs: r.connectTimeoutMs ?? 2000,
    ...(env.SIL_REDIS_USERNAME ? { username: env.SIL_REDIS_USERNAME } : {}),
    ...(env.SIL_REDIS_PASSWORD ? { password: env.SIL_REDIS_PASSWORD } : {}),
  };
}

/** Whether two settings need a new connection (the fail mode alone does not). */
export function sameConnection(a: RedisSettings | null, b: RedisSettings | null): boolean {
  if (!a || !b) return a === b;
  return a.url === b.url && a.keyPrefix === b.keyPrefix && a.connectTimeoutMs === b.connectTimeoutMs && a.username === b.username && a.password === b.password;
}

/** The URL as logs and /healthz may show it (no credentials ever reach it: the schema refuses `@`). */
export function displayUrl(s: RedisSettings): string {
  return s.url;
}
