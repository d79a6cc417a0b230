// Reads the facts of what runs and what is reachable: hub.lock and /healthz, Redis (PING, TIME),
// the config remote (git ls-remote with a timeout), git's version, free disk space.
import { execFile } from 'node:child_process';
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { LOCK_FILE, holderRuns, parseHolder } from '../config/data-lock.ts';
import { systemProbe } from '../config/process-probe.ts';
import { redisSettingsOf } from '../cluster/redis-settings.ts';
import type { HubSettings } from '../../schemas/types.gen.ts';
import type { HubFacts, RedisFacts, RemoteFacts } from './checks-services.ts';
import type { ClockSample } from './checks-runtime.ts';

const message = (err: unknown) => (err as Error).message.split('\n')[0];

export interface LockFacts { pid: number; running: boolean; url?: string }

export async function readLock(dataDir: string): Promise<LockFacts | null> {
  const text = await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => null);
  const holder = text === null ? null : parseHolder(text);
  return holder ? { pid: holder.pid, running: holderRuns(holder, systemProbe), url: holder.url } : null;
}

/** The address to ask: 0.0.0.0 / :: in the lock's URL mean "ask on loopback". */
export function askableUrl(lockUrl: string | undefined): string | null {
  if (!lockUrl) return null;
  return lockUrl.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
}

export async function gatherHub(lock: LockFacts | null, givenUrl: string | undefined, head: string | null): Promise<HubFacts> {
  const url = (givenUrl?.replace(/\/+$/, '') || null) ?? (lock?.running ? askableUrl(lock.url) : null);
  let health: HubFacts['health'] = null;
  if (url) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
      health = { status: res.status, body: (await res.json()) as never };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      health = { error: e.name === 'TimeoutError' ? 'no answer within 5 s' : e.cause?.code ?? message(err) };
    }
  }
  return { lock, url, health, head };
}

/** PING and TIME on a connection that neither retries nor queues (a doctor waits for nobody). */
export async function gatherRedis(settings: HubSettings | null, env: NodeJS.ProcessEnv): Promise<{ redis: RedisFacts; clock: ClockSample }> {
  const s = redisSettingsOf(settings, env);
  if (!s) return { redis: { configured: false }, clock: { redis: false } };
  const client = new Redis(s.url, {
    username: s.username, password: s.password, lazyConnect: true, connectTimeout: Math.min(s.connectTimeoutMs, 5000),
    maxRetriesPerRequest: 0, enableOfflineQueue: false, enableReadyCheck: false, retryStrategy: () => null, reconnectOnError: () => false,
  });
  // The socket's own error (ECONNREFUSED, ...) arrives here; the calls then reject with a vaguer "Connection is closed".
  let socketError: string | null = null;
  client.on('error', (err: Error) => (socketError ??= message(err)));
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 6 s')), 6000).unref());
  try {
    return await Promise.race([deadline, (async () => {
      await client.connect();
      const t0 = performance.now();
      await client.ping();
      const rttMs = performance.now() - t0;
      const beforeMs = Date.now();
      const [seconds, micros] = await client.time();
      const afterMs = Date.now();
      return { redis: { configured: true as const, url: s.url, rttMs }, clock: { redis: true as const, beforeMs, afterMs, redisMs: Number(seconds) * 1000 + Number(micros) / 1000 } };
    })()]);
  } catch (err) {
    const error = /Connection is closed/.test(message(err)) && socketError ? socketError : message(err);
    return { redis: { configured: true, url: s.url, error }, clock: { redis: true, error } };
  } finally {
    client.disconnect();
  }
}

export function gatherRemote(settings: HubSettings | null, head: string | null, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<RemoteFacts> {
  const remote = settings?.remote;
  if (!remote?.url) return Promise.resolve({ configured: false });
  const branch = remote.branch ?? 'main';
  const gitEnv = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes -o ConnectTimeout=10' };
  return new Promise((resolve) => {
    execFile('git', ['ls-remote', '--', remote.url, `refs/heads/${branch}`], { env: gitEnv, timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) {
        const timedOut = (err as { killed?: boolean }).killed === true;
        resolve({ configured: true, url: remote.url, branch, timedOut, error: String(stderr).trim().split('\n').pop() || message(err) });
        return;
      }
      const commit = /^([0-9a-f]{40,64})\s/m.exec(String(stdout))?.[1] ?? null;
      resolve({ configured: true, url: remote.url, branch, commit, head });
    });
  });
}

export function gitVersion(): Promise<{ text: string } | { error: string }> {
  return new Promise((resolve) => {
    execFile('git', ['--version'], { timeout: 5000 }, (err, stdout) => resolve(err ? { error: message(err) } : { text: String(stdout) }));
  });
}

export async function diskSpace(path: string): Promise<{ freeBytes: number; totalBytes: number } | { error: string }> {
  try {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code ?? message(err) };
  }
}
