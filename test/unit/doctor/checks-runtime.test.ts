import { describe, it, expect } from 'vitest';
import { checkClock, checkDisk, checkGit, checkListen, checkNode } from '../../../server/doctor/checks-runtime.ts';
import { formatCheck, summary } from '../../../server/doctor/check.ts';

const GiB = 1024 ** 3;

describe('doctor: runtime checks', () => {
  it('node: 24 ok, 22.19–23 warn, older FAIL', () => {
    expect(checkNode('v24.21.0').status).toBe('ok');
    expect(checkNode('v22.19.0').status).toBe('warn');
    expect(checkNode('v23.1.0').status).toBe('warn');
    expect(checkNode('v22.18.9')).toMatchObject({ status: 'fail', fix: expect.stringContaining('Node.js 24') });
    expect(checkNode('v20.20.2').status).toBe('fail');
  });

  it('git: 2.34 or later, or FAIL naming the version', () => {
    expect(checkGit({ text: 'git version 2.39.5\n' })).toMatchObject({ status: 'ok', message: 'git version 2.39.5' });
    expect(checkGit({ text: 'git version 2.30.2' })).toMatchObject({ status: 'fail', message: expect.stringContaining('2.30.2') });
    expect(checkGit({ error: 'spawn git ENOENT' })).toMatchObject({ status: 'fail', fix: expect.stringContaining('apt-get install git') });
  });

  it('disk: FAIL under 256 MiB, warn under 1 GiB or 5 %, else ok', () => {
    expect(checkDisk('/d', { freeBytes: 100 * 1024 ** 2, totalBytes: 40 * GiB }).status).toBe('fail');
    expect(checkDisk('/d', { freeBytes: 0.5 * GiB, totalBytes: 40 * GiB }).status).toBe('warn');
    expect(checkDisk('/d', { freeBytes: 3 * GiB, totalBytes: 100 * GiB }).status).toBe('warn');
    expect(checkDisk('/d', { freeBytes: 20 * GiB, totalBytes: 40 * GiB })).toMatchObject({ status: 'ok', message: '20.0 GiB free of 40.0 GiB under /d' });
    expect(checkDisk('/d', { error: 'ENOENT' }).status).toBe('warn');
  });

  it('clock: skipped without Redis; skew beyond half the round trip decides', () => {
    expect(checkClock({ redis: false }).status).toBe('skip');
    expect(checkClock({ redis: true, error: 'connect ECONNREFUSED' })).toMatchObject({ status: 'skip', message: expect.stringContaining('ECONNREFUSED') });
    expect(checkClock({ redis: true, beforeMs: 1000, afterMs: 1004, redisMs: 1100 })).toMatchObject({ status: 'ok', message: '+98 ms from Redis (round trip 4 ms)' });
    expect(checkClock({ redis: true, beforeMs: 1000, afterMs: 1002, redisMs: 1001 + 900 }).status).toBe('warn');
    expect(checkClock({ redis: true, beforeMs: 10_000, afterMs: 10_002, redisMs: 10_001 - 5000 })).toMatchObject({ status: 'fail', fix: expect.stringContaining('timedatectl set-ntp true') });
    // A slow round trip explains a large difference.
    expect(checkClock({ redis: true, beforeMs: 0, afterMs: 3000, redisMs: 2900 }).status).toBe('ok');
  });

  it('listen: every interface or a public address warn; loopback and private networks ok', () => {
    expect(checkListen(null, null, []).status).toBe('skip');
    expect(checkListen('0.0.0.0', '8080', [])).toMatchObject({ status: 'warn', fix: expect.stringContaining('--host 127.0.0.1') });
    expect(checkListen('[::]', '8080', []).status).toBe('warn');
    expect(checkListen('203.0.113.7', '8080', []).status).toBe('warn');
    expect(checkListen('127.0.0.1', '8080', [])).toMatchObject({ status: 'ok', message: expect.stringContaining('list 127.0.0.1 in security.trustedProxies') });
    expect(checkListen('127.0.0.1', '8080', ['127.0.0.1'])).toMatchObject({ status: 'ok', message: expect.stringContaining('trusted proxies: 127.0.0.1') });
    expect(checkListen('10.0.0.2', '8080', []).status).toBe('ok');
    expect(checkListen('[::1]', '8080', []).status).toBe('ok');
  });

  it('formats one line per check and exits 1 on any FAIL', () => {
    const lines = [checkNode('v24.1.0'), checkNode('v20.1.0')];
    expect(formatCheck(lines[0])).toBe('ok   node         Node.js v24.1.0');
    expect(formatCheck(lines[1])).toMatch(/^FAIL node {9}Node\.js v20\.1\.0 is too old .* — fix: install Node\.js 24 LTS/);
    expect(summary(lines)).toEqual({ line: '2 checks: 1 ok, 0 warn, 1 FAIL, 0 skipped', exitCode: 1 });
    expect(summary([lines[0], checkClock({ redis: false })]).exitCode).toBe(0);
  });
});
