import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { clone, commitFiles, gitRun, gitTry } from '../../helpers/git.ts';
import { MINIMAL, OPENAI_MAIN, CHAT_BINDING } from '../../helpers/config-files.ts';

describe('pre-receive hook', () => {
  const tmp = tempDir('sil-hook-');
  let bare: string;
  let work: string;
  let good: string;

  beforeAll(async () => {
    const { paths } = await initDataDir(join(tmp.path, 'data'));
    bare = paths.gitdir;
    work = clone(bare, join(tmp.path, 'work'));
    good = commitFiles(work, { 'providers/openai-main.yaml': OPENAI_MAIN, 'bindings/chat.yaml': CHAT_BINDING }, 'add openai');
    const push = gitTry(work, ['push', 'origin', 'main']);
    expect(push.status, push.output).toBe(0);
    expect(push.output).toMatch(/remote: sil: valid: [0-9a-f]{40} \(1 providers, 1 bindings, 0 secrets files, 0 warnings\)/);
  });
  afterAll(() => tmp.cleanup());

  const cases: [string, Record<string, string>, RegExp][] = [
    ['bad YAML', { 'bindings/chat.yaml': 'name: chat\ntargets: [\n' }, /remote: sil: bindings\/chat\.yaml:\d+:\d+: .*\[SIL_CONFIG_YAML\]/],
    ['an unknown field', { 'providers/openai-main.yaml': OPENAI_MAIN + 'colour: blue\n' }, /remote: sil: providers\/openai-main\.yaml:9:1: unknown field "colour" \[SIL_CONFIG_UNKNOWN_FIELD\] hint: /],
    ['a wrong type', { 'bindings/chat.yaml': CHAT_BINDING.replace('maxAttempts: 2', 'maxAttempts: two') }, /remote: sil: bindings\/chat\.yaml:11:16: failover\.maxAttempts: must be integer \[SIL_CONFIG_SCHEMA\]/],
    ['an unknown template', { 'providers/openai-main.yaml': OPENAI_MAIN.replace('template: openai', 'template: openia') }, /remote: sil: providers\/openai-main\.yaml:3:11: unknown template "openia" \(did you mean "openai"\?\) \[SIL_CONFIG_UNKNOWN_TEMPLATE\]/],
    ['a target that does not exist', { 'bindings/chat.yaml': CHAT_BINDING.replace('provider: openai-main', 'provider: nowhere') }, /remote: sil: bindings\/chat\.yaml:7:15: target provider "nowhere" does not exist \[SIL_CONFIG_REFERENCE\]/],
    ['a cross-environment reference', { 'bindings/chat.yaml': CHAT_BINDING.replace('environment: prod', 'environment: dev') }, /remote: sil: bindings\/chat\.yaml:7:15: target provider "openai-main" is in environment "prod", this binding is in "dev" \[SIL_CONFIG_ENVIRONMENT\]/],
  ];

  for (const [what, files, expected] of cases) {
    it(`rejects a push with ${what}, leaving the branch unchanged`, () => {
      gitRun(work, ['reset', '-q', '--hard', good]);
      commitFiles(work, files, `bad: ${what}`);
      const push = gitTry(work, ['push', 'origin', 'main']);
      expect(push.status).not.toBe(0);
      expect(push.output).toMatch(expected);
      expect(push.output).toMatch(/pre-receive hook declined/);
      expect(gitRun(bare, ['rev-parse', 'refs/heads/main'])).toBe(good);
    });
  }

  it('validates other branches too and refuses to delete or rewrite main', () => {
    gitRun(work, ['reset', '-q', '--hard', good]);
    commitFiles(work, { 'bindings/chat.yaml': CHAT_BINDING.replace('openai-main', 'nope') }, 'bad on a branch');
    expect(gitTry(work, ['push', 'origin', 'HEAD:refs/heads/review']).output).toMatch(/does not exist/);
    expect(gitTry(work, ['push', 'origin', ':main']).status).not.toBe(0);
    gitRun(work, ['reset', '-q', '--hard', 'HEAD~2']);
    commitFiles(work, { 'README.md': 'rewritten history\n' }, 'rewrite');
    const force = gitTry(work, ['push', '--force', 'origin', 'main']);
    expect(force.status).not.toBe(0);
    expect(gitRun(bare, ['rev-parse', 'refs/heads/main'])).toBe(good);
  });

  it('accepts the minimal config pushed as JSON-free YAML from a fresh clone', () => {
    const fresh = clone(bare, join(tmp.path, 'fresh'));
    commitFiles(fresh, { 'policies/default.yaml': 'name: default\nrateLimit: { requests: 10, per: second }\n', 'bindings/chat.yaml': CHAT_BINDING + 'policy: default\n' }, 'add a policy');
    expect(gitTry(fresh, ['push', 'origin', 'main']).status).toBe(0);
    expect(MINIMAL['sil.yaml']).toBeDefined();
  });
});
