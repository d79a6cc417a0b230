// Checks of the machine and the process: Node and git versions, free disk space, the clock
// against Redis, the address the hub listens on. Pure: the facts come in, results go out.
import { compileAllowlist } from '../core/cidr.ts';
import { fail, ok, skip, warn, type CheckResult } from './check.ts';

const version = (text: string): number[] => (/(\d+)\.(\d+)(?:\.(\d+))?/.exec(text)?.slice(1) ?? []).map((n) => Number(n ?? 0));
const atLeast = (v: number[], min: number[]) => {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  return true;
};

export function checkNode(nodeVersion: string): CheckResult {
  const v = version(nodeVersion);
  if (atLeast(v, [24, 0, 0])) return ok('node', `Node.js ${nodeVersion}`);
  if (atLeast(v, [22, 19, 0])) return warn('node', `Node.js ${nodeVersion} works; 24 LTS is what sil is tested and tuned on`, 'install Node.js 24 LTS (docs/deploy/hetzner.md: NodeSource) and restart the hub');
  return fail('node', `Node.js ${nodeVersion} is too old (22.19 at least; undici 8 needs it)`, 'install Node.js 24 LTS and restart the hub');
}

/** `git version 2.39.5`, or the error of running it. */
export function checkGit(output: { text: string } | { error: string }): CheckResult {
  if ('error' in output) return fail('git', `git cannot be run: ${output.error}`, 'apt-get install git (2.34 or later): the push hook and the writer use it');
  const v = version(output.text);
  if (atLeast(v, [2, 34, 0])) return ok('git', output.text.trim());
  return fail('git', `${output.text.trim()} is older than 2.34 (SSH-signed commits need it)`, 'install git 2.34 or later');
}

const MiB = 1024 * 1024;
const size = (bytes: number) => (bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${Math.round(bytes / MiB)} MiB`);

export function checkDisk(path: string, disk: { freeBytes: number; totalBytes: number } | { error: string }): CheckResult {
  if ('error' in disk) return warn('disk', `cannot read the free space under ${path}: ${disk.error}`, `check with \`df -h ${path}\``);
  const { freeBytes, totalBytes } = disk;
  const share = totalBytes > 0 ? freeBytes / totalBytes : 1;
  const what = `${size(freeBytes)} free of ${size(totalBytes)} under ${path}`;
  const fix = 'free space (old backups in /var/backups/sil, journald: `journalctl --vacuum-size=200M`) or grow the volume; the hub stops saving state and commits when the disk is full';
  if (freeBytes < 256 * MiB) return fail('disk', what, fix);
  if (freeBytes < 1024 * MiB || share < 0.05) return warn('disk', what, fix);
  return ok('disk', what);
}

export type ClockSample =
  | { redis: false }
  | { redis: true; error: string }
  /** Local time just before and after TIME, and the time Redis answered. */
  | { redis: true; beforeMs: number; afterMs: number; redisMs: number };

export function checkClock(sample: ClockSample): CheckResult {
  const ntp = '`timedatectl set-ntp true` (systemd-timesyncd) on this machine and the Redis host; `timedatectl timesync-status` shows the offset';
  if (!sample.redis) return skip('clock', 'no redis: in sil.yaml, nothing to compare with (keep NTP on: `timedatectl` shows "System clock synchronized: yes")');
  if ('error' in sample) return skip('clock', `not compared: Redis TIME cannot be read (${sample.error})`);
  const skew = sample.redisMs - (sample.beforeMs + sample.afterMs) / 2;
  const rtt = sample.afterMs - sample.beforeMs;
  const what = `${skew >= 0 ? '+' : ''}${Math.round(skew)} ms from Redis (round trip ${Math.round(rtt)} ms)`;
  const off = Math.abs(skew) - rtt / 2;
  if (off > 2000) return fail('clock', `this clock is ${what}: leases, rate windows and TOTP codes drift apart`, ntp);
  if (off > 500) return warn('clock', `this clock is ${what}`, ntp);
  return ok('clock', what);
}

const PRIVATE = compileAllowlist(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);
const LOOPBACK = compileAllowlist(['127.0.0.0/8', '::1']);

/** `host`: where the running hub listens (from hub.lock), null when none runs. */
export function checkListen(host: string | null, port: string | null, trustedProxies: readonly string[]): CheckResult {
  if (host === null) return skip('listen', 'no running hub to ask where it listens');
  const bare = host.replace(/^\[|\]$/g, '');
  const where = `${host}:${port ?? '?'}`;
  if (bare === '0.0.0.0' || bare === '::') {
    return warn('listen', `the hub listens on every interface (${where}), its plain-HTTP port is reachable wherever the firewall lets it`, 'start it with --host 127.0.0.1 behind Caddy or nginx (TLS), or with the private network address for a load balancer; keep the port closed in the firewall');
  }
  if (LOOPBACK.contains(bare)) {
    const note = trustedProxies.length ? `; trusted proxies: ${trustedProxies.join(', ')}` : '; behind a reverse proxy on this machine, list 127.0.0.1 in security.trustedProxies';
    return ok('listen', `${where}, reached through a reverse proxy or this machine only${note}`);
  }
  if (PRIVATE.contains(bare)) return ok('listen', `${where} on a private network (a load balancer or reverse proxy in front terminates TLS)`);
  return warn('listen', `the hub listens on the public address ${where} in plain HTTP`, 'listen on 127.0.0.1 behind Caddy or nginx (TLS), or on the private network address');
}
