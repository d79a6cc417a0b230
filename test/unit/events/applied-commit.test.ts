import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppliedCommit } from '../../../server/events/applied-commit.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('the commit applied last', () => {
  it('is news on a first start, not on a restart on the same commit, and news again for a commit pushed while stopped', async () => {
    const tmp = tempDir('sil-applied-');
    try {
      const path = join(tmp.path, 'state', 'applied-commit.json');
      const first = await AppliedCommit.open(path, () => {});
      expect(first.applied('a'.repeat(40))).toBe(true);
      expect(first.applied('b'.repeat(40))).toBe(true);
      await first.written();
      const restart = await AppliedCommit.open(path, () => {});
      expect(restart.applied('b'.repeat(40))).toBe(false);
      expect(restart.applied('c'.repeat(40))).toBe(true);
      await restart.written();
      const pushedWhileStopped = await AppliedCommit.open(path, () => {});
      expect(pushedWhileStopped.applied('d'.repeat(40))).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('treats an unreadable file as no record, and says so', async () => {
    const tmp = tempDir('sil-applied-');
    try {
      const path = join(tmp.path, 'applied-commit.json');
      writeFileSync(path, '{not json');
      const lines: string[] = [];
      const c = await AppliedCommit.open(path, (l) => lines.push(l));
      expect(c.applied('a'.repeat(40))).toBe(true);
      expect(lines[0]).toMatch(/applied-commit\.json is not valid JSON.*config\.applied is sent/);
    } finally {
      tmp.cleanup();
    }
  });
});
