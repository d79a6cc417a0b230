// Checks of what runs: the hub on this data directory (hub.lock, /healthz, the live commit),
// Redis (PING), the config remote (git ls-remote). Pure.
import { fail, ok, skip, warn, type CheckResult } from './check.ts';

export interface HubFacts {
  /** hub.lock: its holder and whether that process still runs; null without the file. */
  lock: { pid: number; running: boolean; url?: string } | null;
  /** The URL asked (--url, else the lock's); null when there is none to ask. */
  url: string | null;
  health: { status: number; body: { status?: string; config?: { commit?: string | null; error?: { commit: string } | null } } } | { error: string } | null;
  /** main of config.git. */
  head: string | null;
}

export function checkHub(f: HubFacts): CheckResult {
  const start = 'systemctl start sil (journalctl -u sil says why it stopped)';
  if (!f.lock && !f.url) return fail('hub', 'no hub runs on this data directory (no hub.lock)', start);
  if (f.lock && !f.lock.running && !f.url) return fail('hub', `no hub runs: hub.lock names PID ${f.lock.pid}, which has ended (a crash or kill -9)`, start);
  if (!f.health || 'error' in f.health) {
    const why = f.health && 'error' in f.health ? f.health.error : 'no address';
    return fail('hub', `GET ${f.url ?? '?'}/healthz failed: ${why}`, `is the hub listening there? \`ss -ltnp | grep node\`; ${start}`);
  }
  const { status, body } = f.health;
  const live = body.config?.commit ?? null;
  if (status >= 500 || body.status === 'error') return fail('hub', `${f.url} answers ${status} status ${body.status ?? '?'}: no valid config is live`, 'see `journalctl -u sil` and GET /api/status for the rejected commit; fix it and commit');
  const pid = f.lock ? `PID ${f.lock.pid}, ` : '';
  if (body.status === 'degraded') {
    return warn('hub', `${pid}${f.url}: degraded, commit ${body.config?.error?.commit?.slice(0, 7) ?? '?'} was rejected; ${live?.slice(0, 7) ?? 'nothing'} is live`, 'GET /api/status (or /healthz from this machine) lists the problems; fix them and commit');
  }
  if (f.head && live !== f.head) {
    return warn('hub', `${pid}${f.url}: live commit ${live?.slice(0, 7) ?? 'none'} is not main (${f.head.slice(0, 7)})`, 'wait a second and run doctor again; if it stays, the hub does not see this repository (another --data?) or cannot load main');
  }
  return ok('hub', `${pid}${f.url}: ok, live at main (${live?.slice(0, 7) ?? '?'})`);
}

export type RedisFacts = { configured: false } | { configured: true; url: string; error: string } | { configured: true; url: string; rttMs: number };

export function checkRedis(f: RedisFacts): CheckResult {
  if (!f.configured) return skip('redis', 'no redis: in sil.yaml (one instance; limits count in memory)');
  if ('error' in f) {
    const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(f.error);
    return fail('redis', `${f.url}: ${f.error}`, auth
      ? 'set SIL_REDIS_PASSWORD (and SIL_REDIS_USERNAME for an ACL user) in /etc/sil/sil.env to Redis\'s requirepass / ACL password, and export it for doctor'
      : 'is redis-server running and bound to that address (bind in /etc/redis/redis.conf)? is the port open on the private network (firewall)?');
  }
  return ok('redis', `${f.url}: PONG in ${Math.round(f.rttMs)} ms`);
}

export type RemoteFacts =
  | { configured: false }
  | { configured: true; url: string; branch: string; error: string; timedOut: boolean }
  | { configured: true; url: string; branch: string; commit: string | null; head: string | null };

export function checkRemote(f: RemoteFacts): CheckResult {
  if (!f.configured) return skip('remote', 'no remote: in sil.yaml (this repository is the only one)');
  if ('error' in f) {
    const what = f.timedOut ? 'no answer within the timeout' : f.error;
    return fail('remote', `git ls-remote ${f.url}: ${what}`, 'as the hub\'s user, check the network, the SSH key (~/.ssh, known_hosts) or the credential helper: `sudo -u sil git ls-remote URL`');
  }
  if (!f.commit) return fail('remote', `${f.url} has no branch ${f.branch}`, `push main to it once (git push URL main:${f.branch}) or fix remote.branch`);
  const same = f.head === f.commit ? 'same as local main' : `local main is ${f.head?.slice(0, 7) ?? 'missing'} (sync catches up within the pull interval)`;
  return ok('remote', `${f.url} ${f.branch} at ${f.commit.slice(0, 7)}, ${same}`);
}
