import { describe, it, expect } from 'vitest';
import { checkConfig, checkHook, checkOwner, parseHookScript } from '../../../server/doctor/checks-repo.ts';
import { hookScript, CLI_PATH } from '../../../server/config/repo-init.ts';
import { issue } from '../../../server/config/issues.ts';

const hook = (over: Partial<Parameters<typeof checkHook>[0]> = {}) => ({ path: '/d/config.git/hooks/pre-receive', text: hookScript(), mode: 0o755, nodeRuns: true, cliExists: true, thisCli: CLI_PATH, ...over });

describe('doctor: pre-receive hook', () => {
  it('reads the node and sil paths of the script repo-init writes', () => {
    expect(parseHookScript(hookScript())).toEqual({ node: process.execPath, cli: CLI_PATH });
    expect(parseHookScript('#!/bin/sh\nexit 0\n')).toBeNull();
  });

  it('ok when installed, executable and pointing at this installation', () => {
    expect(checkHook(hook())).toMatchObject({ status: 'ok', message: expect.stringContaining(CLI_PATH) });
  });

  it('FAIL when missing, not executable, foreign or pointing at a sil that is gone', () => {
    expect(checkHook(hook({ text: null }))).toMatchObject({ status: 'fail', message: expect.stringContaining('is missing'), fix: expect.stringContaining('sil init') });
    expect(checkHook(hook({ mode: 0o644 }))).toMatchObject({ status: 'fail', fix: 'chmod 755 /d/config.git/hooks/pre-receive' });
    expect(checkHook(hook({ text: '#!/bin/sh\nexit 0\n' })).status).toBe('fail');
    expect(checkHook(hook({ cliExists: false }))).toMatchObject({ status: 'fail', message: expect.stringContaining('does not exist') });
  });

  it('warns for a gone node (falls back to PATH) or another installation', () => {
    expect(checkHook(hook({ nodeRuns: false })).status).toBe('warn');
    expect(checkHook(hook({ thisCli: '/opt/sil/releases/v2/bin/sil.js' }))).toMatchObject({ status: 'warn', message: expect.stringContaining('another installation') });
  });
});

describe('doctor: config and owner', () => {
  const good = { commit: 'a'.repeat(40), errors: [], warnings: 0, providers: 2, bindings: 1, secretsFiles: 2, keys: 3 };
  it('config: ok with counts; FAIL with the first issues; FAIL when unreadable', () => {
    expect(checkConfig(good)).toMatchObject({ status: 'ok', message: 'main (aaaaaaa) is valid: 2 providers, 1 bindings, 2 secrets files (3 keys) decrypt' });
    const bad = { ...good, errors: [issue('secrets/x.yaml', { line: 1, column: 1 }, 'SIL_VAULT_IDENTITY', 'cannot decrypt: no identity')] };
    expect(checkConfig(bad)).toMatchObject({ status: 'fail', message: expect.stringContaining('secrets/x.yaml:1:1: cannot decrypt') });
    expect(checkConfig({ error: 'no main branch' }).status).toBe('fail');
  });

  it('owner: ok when set up, warn with the reset command when not', () => {
    expect(checkOwner({ owner: { createdAt: '2026-01-01T00:00:00Z' }, setupPending: false }).status).toBe('ok');
    expect(checkOwner({ owner: null, setupPending: true })).toMatchObject({ status: 'warn', message: expect.stringContaining('setup link is pending'), fix: expect.stringContaining('sil owner reset') });
    expect(checkOwner({ error: 'EACCES' }).status).toBe('fail');
  });
});
