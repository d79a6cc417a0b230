import { describe, it, expect } from 'vitest';
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { watchRef } from '../../../server/config/ref-watcher.ts';
import { tempDir } from '../../helpers/tmp.ts';

const waitUntil = async (cond: () => boolean, ms: number) => {
  const started = Date.now();
  while (!cond() && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 5));
  return cond();
};

describe('ref watcher', () => {
  it('reports a ref replaced the way git does it (write main.lock, rename) through fs.watch', async () => {
    const tmp = tempDir();
    mkdirSync(join(tmp.path, 'refs', 'heads'), { recursive: true });
    let calls = 0;
    const w = watchRef(tmp.path, 'main', () => calls++, 60_000);
    try {
      writeFileSync(join(tmp.path, 'refs', 'heads', 'main.lock'), 'abc\n');
      renameSync(join(tmp.path, 'refs', 'heads', 'main.lock'), join(tmp.path, 'refs', 'heads', 'main'));
      expect(await waitUntil(() => calls > 0, 2000)).toBe(true);
    } finally {
      w.close();
      tmp.cleanup();
    }
  });

  it('falls back to polling where the folder cannot be watched', async () => {
    const tmp = tempDir();
    let calls = 0;
    // No refs/heads folder: fs.watch fails there, the poll still fires.
    const w = watchRef(join(tmp.path, 'missing'), 'main', () => calls++, 20);
    try {
      expect(await waitUntil(() => calls >= 3, 2000)).toBe(true);
    } finally {
      w.close();
      tmp.cleanup();
    }
    const after = calls;
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(after);
  });
});
