import { describe, it, expect } from 'vitest';
import { planSync } from '../../../server/remote/sync-plan.ts';
import { remoteSyncAlert, remoteSyncAlertId } from '../../../server/remote/sync-alert.ts';
import { displayRemote, remoteSettingsOf, sameRemote, trackingRef, withoutCredentials } from '../../../server/remote/remote-settings.ts';

describe('what a sync does', () => {
  it('fast-forwards when behind, pushes when ahead (or the remote branch is missing), never forces', () => {
    expect(planSync('same', true)).toBe('none');
    expect(planSync('behind', true)).toBe('fast-forward');
    expect(planSync('behind', false)).toBe('fast-forward');
    expect(planSync('ahead', true)).toBe('push');
    expect(planSync('remote-empty', true)).toBe('push');
    expect(planSync('ahead', false)).toBe('hold');
    expect(planSync('remote-empty', false)).toBe('hold');
    expect(planSync('diverged', true)).toBe('diverged');
  });
});

describe('the remote-sync alert', () => {
  const ok = { diverged: false, ahead: 0, behind: 0, failures: 0, error: null };
  it('is critical while diverged, with the counts', () => {
    const a = remoteSyncAlert('/srv/config.git', 'main', { ...ok, diverged: true, ahead: 1, behind: 2 });
    expect(a).toMatchObject({ kind: 'remote-sync', subject: '/srv/config.git', severity: 'critical', evidence: { ahead: 1, behind: 2, branch: 'main' } });
    expect(a!.detail).toContain('force-pushed');
    expect(remoteSyncAlertId('/srv/config.git')).toBe('remote-sync:/srv/config.git');
  });

  it('is a warning only after a few failures in a row, and none when in step', () => {
    expect(remoteSyncAlert('r', 'main', { ...ok, failures: 2, error: 'fetch failed: x' })).toBeNull();
    expect(remoteSyncAlert('r', 'main', { ...ok, failures: 3, error: 'fetch failed: x' })).toMatchObject({ severity: 'warning', detail: expect.stringContaining('fetch failed: x') });
    expect(remoteSyncAlert('r', 'main', { ...ok, failures: 1, error: 'x' }, 1)).toMatchObject({ severity: 'warning' });
    expect(remoteSyncAlert('r', 'main', ok)).toBeNull();
  });
});

describe('remote settings', () => {
  it('applies the defaults of sil.yaml remote:', () => {
    expect(remoteSettingsOf({ version: 1, environments: ['prod'] } as never)).toBeNull();
    expect(remoteSettingsOf({ remote: { url: '/srv/c.git' } } as never)).toEqual({ url: '/srv/c.git', branch: 'main', pullIntervalMs: 30_000, push: true });
    expect(remoteSettingsOf({ remote: { url: 'u', branch: 'cfg', pullIntervalSeconds: 1, push: false } } as never)).toEqual({ url: 'u', branch: 'cfg', pullIntervalMs: 1000, push: false });
    expect(sameRemote(remoteSettingsOf({ remote: { url: 'u' } } as never), remoteSettingsOf({ remote: { url: 'u', branch: 'main' } } as never))).toBe(true);
    expect(sameRemote(null, remoteSettingsOf({ remote: { url: 'u' } } as never))).toBe(false);
    expect(trackingRef('cfg/x')).toBe('refs/remotes/sil-remote/cfg/x');
  });

  it('never shows credentials of an https URL; an SSH user stays', () => {
    expect(displayRemote('https://user:tok3n@git.example.com/c.git')).toBe('https://git.example.com/c.git');
    expect(displayRemote('https://tok3n@git.example.com/c.git')).toBe('https://git.example.com/c.git');
    expect(displayRemote('git@git.example.com:o/c.git')).toBe('git@git.example.com:o/c.git');
    expect(withoutCredentials("fatal: unable to access 'https://u:tok3n@h/c.git/': refused")).toBe("fatal: unable to access 'https://h/c.git/': refused");
  });
});
