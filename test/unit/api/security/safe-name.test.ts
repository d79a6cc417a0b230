import { describe, it, expect } from 'vitest';
import { join, resolve } from 'node:path';
import { assertSafeName, confinedPath, isSafeName } from '../../../../server/api/security/safe-name.ts';
import { caughtSync } from '../../../helpers/caught.ts';

describe('ids and file names confined to their folder', () => {
  it('accepts plain names', () => {
    for (const name of ['openai', 'openai-main', 'chat.v2', 'a_b', '0']) expect(isSafeName(name)).toBe(true);
    expect(confinedPath('/data/state', 'owner', '.json')).toBe(join(resolve('/data/state'), 'owner.json'));
  });

  it('refuses traversal, separators, hidden files and odd characters', () => {
    for (const name of ['', '.', '..', '../x', 'a/b', 'a\\b', '.hidden', 'a\0b', 'x'.repeat(129), 'a b', '%2e%2e', 42, null]) {
      expect(isSafeName(name)).toBe(false);
    }
    expect(caughtSync(() => assertSafeName('../etc/passwd', 'provider id')).code).toBe('SIL_NAME_INVALID');
    expect(caughtSync(() => confinedPath('/data', '..')).status).toBe(400);
  });
});
