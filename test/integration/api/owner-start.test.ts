// `sil start` prints the one-time setup link while no owner exists (a real child process).
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { silStart, stop } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';

const tmp = tempDir('sil-owner-start-');
afterAll(() => tmp.cleanup());

async function startAndReadLink(data: string): Promise<{ url: string; token: string; output: string }> {
  const { child, url, output } = await silStart([], { SIL_DATA: data, SIL_HOST: '127.0.0.1', SIL_PORT: '0' });
  try {
    const started = Date.now();
    while (!/\/setup#[\w-]{43}\n/.test(output()) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    const m = new RegExp(`${url.replace(/[.]/g, '\\.')}/setup#([\\w-]{43})`).exec(output());
    if (!m) throw new Error(`no setup link in:\n${output()}`);
    return { url, token: m[1], output: output() };
  } finally {
    expect(await stop(child)).toBe(0);
  }
}

describe('sil start on first run', () => {
  it('prints http://<host>:<port>/setup#<token>, stores only its hash, and a new one on every start', async () => {
    const data = join(tmp.path, 'data');
    const first = await startAndReadLink(data);
    expect(first.output).toMatch(/No owner account yet/);
    const stored = JSON.parse(readFileSync(join(data, 'state', 'owner.json'), 'utf8'));
    expect(stored.setup.tokenHash).toBe(createHash('sha256').update(first.token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(first.token);

    const second = await startAndReadLink(data);
    expect(second.token).not.toBe(first.token);
    expect(JSON.parse(readFileSync(join(data, 'state', 'owner.json'), 'utf8')).setup.tokenHash).toBe(createHash('sha256').update(second.token).digest('hex'));
  });
});
