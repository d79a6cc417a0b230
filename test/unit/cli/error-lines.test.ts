import { describe, it, expect } from 'vitest';
import { errorLines, issuesOf } from '../../../server/cli/error-lines.ts';
import { SilError } from '../../../server/errors.ts';
import { issue } from '../../../server/config/issues.ts';

describe('errorLines (what a failed command prints)', () => {
  it('lists every validator issue of the error, one per line, between the error and its hint', () => {
    const issues = [
      issue('bindings/chat.yaml', { line: 7, column: 15 }, 'SIL_CONFIG_REFERENCE', 'target provider "openai-gone" does not exist', 'create providers/openai-gone.yaml or fix the name'),
      issue('sil.yaml', { line: 1, column: 1 }, 'SIL_CONFIG_SCHEMA', 'version must be 1'),
    ];
    const err = new SilError('SIL_CONFIG_INVALID', 'the change is invalid: 2 error(s)', { details: { issues } });
    expect(errorLines(err)).toEqual([
      'sil: the change is invalid: 2 error(s) [SIL_CONFIG_INVALID]',
      'bindings/chat.yaml:7:15: target provider "openai-gone" does not exist [SIL_CONFIG_REFERENCE] hint: create providers/openai-gone.yaml or fix the name',
      `sil.yaml:1:1: version must be 1 [SIL_CONFIG_SCHEMA] hint: ${issues[1].hint}`,
      `hint: ${err.hint}`,
    ]);
  });

  it('prints an error without issues as the error and its hint', () => {
    expect(errorLines(new SilError('SIL_KEY_NOT_FOUND', 'no key "x"'))).toEqual(['sil: no key "x" [SIL_KEY_NOT_FOUND]', expect.stringMatching(/^hint: List the provider/)]);
  });

  it('ignores details that are not issues', () => {
    expect(issuesOf(new SilError('SIL_GIT_CONFLICT', 'changed', { details: { files: ['a'] } }))).toEqual([]);
    expect(issuesOf(new SilError('SIL_CONFIG_INVALID', 'x', { details: { issues: [{ file: 'a' }, null, 'text', { file: 'a', line: 1, column: 1, message: 'm', code: 'NOT_A_CODE', hint: '' }] } }))).toEqual([]);
  });

  it('prints the stack of an unexpected error', () => {
    expect(errorLines(new Error('boom'))[0]).toMatch(/^sil: Error: boom\n/);
    expect(errorLines('plain')).toEqual(['sil: plain']);
  });
});
