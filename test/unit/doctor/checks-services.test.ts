import { describe, it, expect } from 'vitest';
import { checkHub, checkRedis, checkRemote, type HubFacts } from '../../../server/doctor/checks-services.ts';
import { askableUrl } from '../../../server/doctor/gather-services.ts';

const HEAD = 'b'.repeat(40);
const hub = (over: Partial<HubFacts> = {}): HubFacts => ({
  lock: { pid: 42, running: true, url: 'http://127.0.0.1:8080' }, url: 'http://127.0.0.1:8080',
  health: { status: 200, body: { status: 'ok', config: { commit: HEAD, error: null } } }, head: HEAD, ...over,
});

describe('doctor: hub', () => {
  it('ok when /healthz answers ok at main', () => {
    expect(checkHub(hub())).toMatchObject({ status: 'ok', message: `PID 42, http://127.0.0.1:8080: ok, live at main (bbbbbbb)` });
  });

  it('FAIL without a hub, with a stale lock, or when /healthz cannot be reached or says error', () => {
    expect(checkHub(hub({ lock: null, url: null, health: null }))).toMatchObject({ status: 'fail', fix: expect.stringContaining('systemctl start sil') });
    expect(checkHub(hub({ lock: { pid: 7, running: false }, url: null, health: null }))).toMatchObject({ status: 'fail', message: expect.stringContaining('PID 7, which has ended') });
    expect(checkHub(hub({ health: { error: 'ECONNREFUSED' } }))).toMatchObject({ status: 'fail', message: expect.stringContaining('ECONNREFUSED') });
    expect(checkHub(hub({ health: { status: 503, body: { status: 'error', config: { commit: null } } } })).status).toBe('fail');
  });

  it('warns when degraded or when the live commit is not main', () => {
    expect(checkHub(hub({ health: { status: 200, body: { status: 'degraded', config: { commit: HEAD, error: { commit: 'c'.repeat(40) } } } } }))).toMatchObject({ status: 'warn', message: expect.stringContaining('ccccccc was rejected') });
    expect(checkHub(hub({ head: 'd'.repeat(40) }))).toMatchObject({ status: 'warn', message: expect.stringContaining('is not main (ddddddd)') });
  });

  it('asks 0.0.0.0 and :: hubs on loopback', () => {
    expect(askableUrl('http://0.0.0.0:8080')).toBe('http://127.0.0.1:8080');
    expect(askableUrl('http://[::]:8080')).toBe('http://[::1]:8080');
    expect(askableUrl(undefined)).toBeNull();
  });
});

describe('doctor: redis and remote', () => {
  it('redis: skipped without redis:, ok with the round trip, FAIL naming the password or the network', () => {
    expect(checkRedis({ configured: false }).status).toBe('skip');
    expect(checkRedis({ configured: true, url: 'redis://10.0.0.3:6379', rttMs: 0.8 })).toMatchObject({ status: 'ok', message: 'redis://10.0.0.3:6379: PONG in 1 ms' });
    expect(checkRedis({ configured: true, url: 'redis://10.0.0.3:6379', error: 'WRONGPASS invalid username-password pair' })).toMatchObject({ status: 'fail', fix: expect.stringContaining('SIL_REDIS_PASSWORD') });
    expect(checkRedis({ configured: true, url: 'redis://10.0.0.3:6379', error: 'connect ECONNREFUSED 10.0.0.3:6379' })).toMatchObject({ status: 'fail', fix: expect.stringContaining('is redis-server running') });
  });

  it('remote: skipped without remote:, ok with its commit, FAIL on errors, timeouts and a missing branch', () => {
    expect(checkRemote({ configured: false }).status).toBe('skip');
    expect(checkRemote({ configured: true, url: 'git@h:c.git', branch: 'main', commit: HEAD, head: HEAD })).toMatchObject({ status: 'ok', message: expect.stringContaining('same as local main') });
    expect(checkRemote({ configured: true, url: 'git@h:c.git', branch: 'main', error: 'Permission denied (publickey).', timedOut: false })).toMatchObject({ status: 'fail', message: expect.stringContaining('Permission denied') });
    expect(checkRemote({ configured: true, url: 'git@h:c.git', branch: 'main', error: '', timedOut: true })).toMatchObject({ status: 'fail', message: expect.stringContaining('no answer within the timeout') });
    expect(checkRemote({ configured: true, url: 'git@h:c.git', branch: 'prod', commit: null, head: HEAD })).toMatchObject({ status: 'fail', message: 'git@h:c.git has no branch prod' });
  });
});
