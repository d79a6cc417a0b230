import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ERRORS, SilError } from '../../server/errors.ts';
import { errorDocs, ERRORS_DOC } from '../../scripts/gen-error-docs.ts';

describe('error catalog', () => {
  it('is documented in docs/errors.md, in sync', () => {
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(errorDocs());
  });

  it('gives every error a code, an HTTP status, a message and a hint', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^SIL_[A-Z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(600);
      expect(e.message.length).toBeGreaterThan(5);
      expect(e.hint.length).toBeGreaterThan(5);
    }
  });

  it('hides the message of internal errors from callers', () => {
    const e = new SilError('SIL_GIT_NATIVE', 'git failed: /secret/path/config.git: permission denied');
    expect(JSON.stringify(e)).not.toContain('/secret/path');
    expect(e.toJSON().code).toBe('SIL_INTERNAL');
    expect(new SilError('SIL_GIT_CONFLICT', 'changed: a.yaml').toJSON()).toMatchObject({ code: 'SIL_GIT_CONFLICT', message: 'changed: a.yaml' });
  });
});
