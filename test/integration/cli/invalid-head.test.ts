// A branch head that is invalid (written past the hook) refuses every change the CLI makes
// through the writer, and the refusal names the actual problem: file, line, column, code, hint.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { sil } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { commitPastHook, gitRun } from '../../helpers/git.ts';
import { CHAT_BINDING, OPENAI_MAIN } from '../../helpers/config-files.ts';

const PROBLEM = /^bindings\/chat\.yaml:7:15: target provider "openai-gone" does not exist \[SIL_CONFIG_REFERENCE\] hint: create providers\/openai-gone\.yaml or fix the name$/m;

describe('CLI changes on an invalid branch head', () => {
  const tmp = tempDir('sil-invalid-head-');
  const data = join(tmp.path, 'data');
  const bare = join(data, 'config.git');
  let head: string;

  beforeAll(() => {
    expect(sil(['init', '--data', data]).status).toBe(0);
    head = commitPastHook(bare, { 'providers/openai-main.yaml': OPENAI_MAIN, 'bindings/chat.yaml': CHAT_BINDING.replace('provider: openai-main', 'provider: openai-gone') });
  });
  afterAll(() => tmp.cleanup());

  it('sil keys add lists the validator\'s issue with its file and line, and writes nothing', () => {
    const r = sil(['keys', 'add', 'openai-main', '--data', data], { input: `sk-proj-${'A'.repeat(40)}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^sil: .*1 error.* \[SIL_CONFIG_INVALID\]$/m);
    expect(r.stderr).toMatch(PROBLEM);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(gitRun(bare, ['rev-parse', 'main'])).toBe(head);
  });

  it('sil tokens create lists it the same way', () => {
    const r = sil(['tokens', 'create', 'web', '--binding', 'chat', '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^sil: token web\/t1 refused, nothing was written: 1 error \[SIL_CONFIG_INVALID\]$/m);
    expect(r.stderr).toMatch(PROBLEM);
    expect(r.stdout).not.toMatch(/sil_/);
    expect(gitRun(bare, ['rev-parse', 'main'])).toBe(head);
  });
});
