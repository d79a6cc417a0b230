import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CounterFlusher, readCounterFile, writeCounterFile } from '../../../server/limits/counter-file.ts';
import { MemoryCounterStore } from '../../../server/limits/memory-counter-store.ts';
import { tempDir } from '../../helpers/tmp.ts';

const tmp = tempDir('sil-limits-file-');
afterAll(() => tmp.cleanup());

describe('counter file', () => {
  it('writes atomically (no temporary file left) and reads back', async () => {
    const path = join(tmp.path, 'a', 'state', 'limits.json');
    await writeCounterFile(path, [{ key: 'k', value: 2, expiresAt: 9 }], 1);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, savedAt: 1, counters: [{ key: 'k', value: 2, expiresAt: 9 }] });
    expect(readdirSync(join(tmp.path, 'a', 'state'))).toEqual(['limits.json']);
    expect(await readCounterFile(path, () => {})).toEqual([{ key: 'k', value: 2, expiresAt: 9 }]);
  });

  it('starts from zero without a file, and says so for a file it cannot read', async () => {
    const logs: string[] = [];
    expect(await readCounterFile(join(tmp.path, 'none.json'), (l) => logs.push(l))).toEqual([]);
    expect(logs).toEqual([]);
    mkdirSync(join(tmp.path, 'b'));
    const bad = join(tmp.path, 'b', 'limits.json');
    writeFileSync(bad, '{"version": 1, "counters": [');
    expect(await readCounterFile(bad, (l) => logs.push(l))).toEqual([]);
    expect(logs[0]).toMatch(/limits: .*limits\.json is not a counter file sil can read .*the counters start at zero/);
  });

  it('writes only when the counters changed, and at close', async () => {
    const path = join(tmp.path, 'c', 'limits.json');
    const store = new MemoryCounterStore();
    let now = 1_000;
    const flusher = new CounterFlusher(store, { path, now: () => now, log: () => {}, intervalMs: 60_000 });
    await flusher.flush();
    expect(existsSync(path)).toBe(false);
    store.checkAndAdd([{ type: 'window', key: 'q', amount: 3, max: 5, expiresAt: 10_000 }], now);
    await flusher.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).counters).toEqual([{ key: 'q', value: 3, expiresAt: 10_000 }]);
    store.checkAndAdd([{ type: 'window', key: 'q', amount: 1, max: 5, expiresAt: 10_000 }], now);
    now = 2_000;
    await flusher.close();
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.savedAt).toBe(2_000);
    const again = new MemoryCounterStore();
    expect(again.load(saved.counters, 3_000)).toBe(1);
    expect(again.checkAndAdd([{ type: 'window', key: 'q', amount: 1, max: 5, expiresAt: 10_000 }], 3_000)).toEqual({ refused: -1, used: [5] });
  });

  it('logs a write that fails and tries again later', async () => {
    const blocker = join(tmp.path, 'd');
    writeFileSync(blocker, 'a file where the directory should be');
    const logs: string[] = [];
    const store = new MemoryCounterStore();
    const flusher = new CounterFlusher(store, { path: join(blocker, 'limits.json'), now: () => 0, log: (l) => logs.push(l) });
    store.add('x', 1, 10_000, 0);
    await flusher.close();
    expect(logs[0]).toMatch(/^limits: cannot write .*limits\.json: .*retrying at the next flush$/);
  });
});
