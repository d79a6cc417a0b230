// kill -9 under load loses at most one flush interval of usage, and never leaves a torn file:
// a hub process with a short flush interval (SIL_USAGE_FLUSH_MS), traffic from a bounded loop,
// SIGKILL mid-load, then a restart on the same data and the persisted counts checked against
// what the callers saw.
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/tmp.ts';
import { startMockUpstream, chatCompletion, type MockUpstream } from '../../helpers/mock-upstream.ts';
import { eventually, killIfRunning, processRuns, spawnSil, type SilProcess } from '../../helpers/sil-process.ts';
import { openUsageStore } from '../../../server/observe/usage-store/usage-store.ts';
import { GRANULARITIES } from '../../../server/observe/usage-store/file-layout.ts';
import { usageDataDir } from './usage-config.ts';

const FLUSH_MS = 200;
/** Timer lateness and the duration of a write in progress at the kill. */
const SLACK_MS = 300;
const CHILD = fileURLToPath(new URL('./hub-child.ts', import.meta.url));
const LISTENING = /sil listening on (http:\/\/127\.0\.0\.1:\d+)/;

describe('usage store under kill -9', () => {
  const tmp = tempDir('sil-usage-kill-');
  const started: SilProcess[] = [];
  let good: MockUpstream;
  afterAll(async () => {
    for (const p of started) killIfRunning(p.child.pid);
    await good?.close();
    tmp.cleanup();
  });

  const start = async (data: string) => {
    const p = spawnSil([data], { bin: CHILD, env: { SIL_USAGE_FLUSH_MS: String(FLUSH_MS) } });
    started.push(p);
    const [, url] = await p.waitFor(LISTENING, 60_000);
    return { p, url };
  };

  const persisted = async (usageDir: string) => {
    const store = await openUsageStore({ dir: usageDir, snapshot: () => null, flushMs: 0 });
    const out = Object.fromEntries(await Promise.all(GRANULARITIES.map(async (g) => {
      const rows = await store.rows(g, 0, Date.now() + 86_400_000, { binding: 'chat' });
      return [g, { requests: rows.reduce((n, r) => n + r.requests, 0), inputTokens: rows.reduce((n, r) => n + r.inputTokens, 0) }];
    })));
    await store.close();
    return out as Record<'minute' | 'hour' | 'day', { requests: number; inputTokens: number }>;
  };

  it('keeps everything flushed before the kill, never more than was sent, and only whole JSON files', async () => {
    good = await startMockUpstream(() => ({ status: 200, body: chatCompletion('gpt-4o-mini', 'ok') }));
    const { data, token } = await usageDataDir(tmp.path, good.url, good.url);
    const usageDir = join(data, 'state', 'usage');
    const first = await start(data);
    const pid = first.p.child.pid!;

    let sent = 0;
    const answeredAt: number[] = [];
    let stop = false;
    const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    const worker = async () => {
      // Bounded in time and count; ends at the first failure after the kill.
      const deadline = Date.now() + 10_000;
      while (!stop && Date.now() < deadline && sent < 20_000) {
        sent++;
        try {
          const res = await fetch(`${first.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
          await res.text();
          if (res.status === 200) answeredAt.push(Date.now());
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    // Several flushes under load, then the kill in the middle of it.
    await new Promise((r) => setTimeout(r, 6 * FLUSH_MS + 150));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await Promise.all(workers);
    stop = true;
    expect(await eventually(() => !processRuns(pid), 5_000)).toBe(true);

    const answeredBefore = answeredAt.filter((t) => t <= killedAt - FLUSH_MS - SLACK_MS).length;
    expect(answeredBefore).toBeGreaterThan(20);
    // No torn file: each rollup file is whole JSON (a write's temporary file may be left; it is not read).
    for (const g of GRANULARITIES) {
      for (const name of readdirSync(join(usageDir, g)).filter((n) => n.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(usageDir, g, name), 'utf8'))).not.toThrow();
    }
    const afterKill = await persisted(usageDir);
    for (const g of GRANULARITIES) {
      expect(afterKill[g].requests, `${g} rows: ${afterKill[g].requests}, answered ${answeredBefore} by ${FLUSH_MS + SLACK_MS} ms before the kill, sent ${sent}`).toBeGreaterThanOrEqual(answeredBefore);
      expect(afterKill[g].requests).toBeLessThanOrEqual(sent);
      expect(afterKill[g].inputTokens).toBeLessThanOrEqual(5 * sent);
    }

    // The same data starts again: the files load (nothing moved aside), and a clean stop keeps the counts.
    const second = await start(data);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    second.p.child.kill('SIGTERM');
    expect(await second.p.exited(15_000)).toBe(0);
    expect(second.p.output()).not.toMatch(/not a valid usage file|usage: cannot/);
    for (const g of GRANULARITIES) expect(readdirSync(join(usageDir, g)).filter((n) => n.includes('.corrupt-') || n.endsWith('.tmp'))).toEqual([]);
    expect(await persisted(usageDir)).toEqual(afterKill);
  }, 120_000);
});
