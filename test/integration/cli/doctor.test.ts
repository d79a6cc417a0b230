// `sil doctor` on real data directories: a healthy deployment (a running hub, Redis with a
// password, a remote) where every check is ok, and a broken one (open key modes, no hook, Redis
// on a closed port, no hub) where each problem is a FAIL naming its fix.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { freePort, startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { startMockUpstream, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { chatReply, gitRun, makeHubData, startSil, type StartedSil } from './hub-data-fixture.ts';

const tmp = tempDir('sil-doctor-');
const PASSWORD = 'doctor-test-redis-password-7f3a';
let redis: TestRedis;
let mock: MockUpstream;
const hubs: StartedSil[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  await admin.config('SET', 'requirepass', PASSWORD);
  admin.disconnect();
  mock = await startMockUpstream(chatReply);
}, 60_000);

afterAll(async () => {
  for (const h of hubs) await h.stop();
  await mock?.close();
  await redis?.stop();
  tmp.cleanup();
});

/** Each printed check line as [status, id, rest]. */
function lines(stdout: string): Map<string, { status: string; text: string }> {
  const out = new Map<string, { status: string; text: string }>();
  for (const m of stdout.matchAll(/^(ok|warn|FAIL|skip) +(\S+) +(.*)$/gm)) out.set(m[2], { status: m[1], text: m[3] });
  return out;
}

const ALL = ['node', 'git', 'ownership', 'modes', 'age-identity', 'signing-key', 'hook', 'config', 'owner', 'hub', 'listen', 'clock', 'redis', 'remote', 'disk'];
const asRoot = process.getuid?.() === 0;

describe('sil doctor', () => {
  it('a healthy deployment: every check ok (ownership warns only when the tests run as root)', async () => {
    const data = join(tmp.path, 'healthy');
    const remote = join(tmp.path, 'remote.git');
    const settings = (old: string) => `${old}redis:\n  url: ${redis.url}\nremote:\n  url: ${remote}\n  pullIntervalSeconds: 3600\n  push: false\n`;
    await makeHubData(data, join(tmp.path, 'work-healthy'), mock.url, settings);
    gitRun(['clone', '--quiet', '--bare', join(data, 'config.git'), remote]);
    chmodSync(data, 0o700);
    hubs.push(await startSil(data, { SIL_REDIS_PASSWORD: PASSWORD }));

    const r = sil(['doctor', '--data', data], { env: { SIL_REDIS_PASSWORD: PASSWORD } });
    const checks = lines(r.stdout);
    expect([...checks.keys()]).toEqual(ALL);
    for (const [id, c] of checks) {
      const expected = id === 'ownership' && asRoot ? 'warn' : 'ok';
      expect(`${c.status} ${id}: ${c.text}`).toMatch(new RegExp(`^${expected} ${id}: `));
    }
    expect(checks.get('redis')!.text).toMatch(/^redis:\/\/127\.0\.0\.1:\d+: PONG in \d+ ms$/);
    expect(checks.get('clock')!.text).toMatch(/ms from Redis \(round trip \d+ ms\)$/);
    expect(checks.get('remote')!.text).toContain('same as local main');
    expect(checks.get('hub')!.text).toMatch(/: ok, live at main/);
    expect(r.stdout).toMatch(/^15 checks: \d+ ok, [01] warn, 0 FAIL, 0 skipped$/m);
    expect(r.status).toBe(0);

    // Without the password: Redis FAILs naming SIL_REDIS_PASSWORD, which is never printed.
    const { SIL_REDIS_PASSWORD: _unset, ...env } = process.env;
    const noPass = sil(['doctor', '--data', data], { env: { ...env, SIL_REDIS_PASSWORD: '' } });
    expect(lines(noPass.stdout).get('redis')).toMatchObject({ status: 'FAIL', text: expect.stringMatching(/NOAUTH.* — fix: set SIL_REDIS_PASSWORD/) });
    expect(noPass.stdout + noPass.stderr).not.toContain(PASSWORD);
    expect(noPass.status).toBe(1);
  }, 180_000);

  it('a broken deployment: wrong modes, no hook, Redis on a closed port, no hub — each a FAIL with its fix', async () => {
    const data = join(tmp.path, 'broken');
    const closed = await freePort();
    await makeHubData(data, join(tmp.path, 'work-broken'), mock.url, (old) => `${old}redis:\n  url: redis://127.0.0.1:${closed}\n  connectTimeoutMs: 500\n`);
    chmodSync(join(data, 'keys'), 0o755);
    chmodSync(join(data, 'keys', 'age.key'), 0o644);
    rmSync(join(data, 'config.git', 'hooks', 'pre-receive'));

    const r = sil(['doctor', '--data', data]);
    const checks = lines(r.stdout);
    expect(r.status).toBe(1);
    expect(checks.get('modes')!.status).toBe('FAIL');
    expect(checks.get('modes')!.text).toContain(`keys is 0755 (must be 0700); keys/age.key is 0644 (must be 0600) — fix: chmod 700 ${data}/keys; chmod 600 ${data}/keys/age.key`);
    expect(checks.get('hook')).toEqual({ status: 'FAIL', text: `${data}/config.git/hooks/pre-receive is missing: pushes land without validation — fix: run \`sil init --data DIR\` while the hub is stopped, or restart the hub: both rewrite the hook` });
    expect(checks.get('redis')!.status).toBe('FAIL');
    expect(checks.get('redis')!.text).toMatch(new RegExp(`^redis://127\\.0\\.0\\.1:${closed}: connect ECONNREFUSED 127\\.0\\.0\\.1:${closed} — fix: is redis-server running`));
    expect(checks.get('clock')).toMatchObject({ status: 'skip', text: expect.stringContaining('Redis TIME cannot be read') });
    expect(checks.get('hub')).toMatchObject({ status: 'FAIL', text: expect.stringContaining('no hub runs on this data directory (no hub.lock) — fix: systemctl start sil') });
    // What is still right stays ok.
    for (const id of ['age-identity', 'signing-key', 'config', 'owner']) expect(checks.get(id)!.status).toBe('ok');
    expect(r.stdout).toMatch(/^15 checks: .*, 4 FAIL, /m);
  }, 120_000);
});
