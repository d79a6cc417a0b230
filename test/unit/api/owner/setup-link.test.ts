// The setup link text `sil start` prints on first run.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setupLinkLine } from '../../../../server/api/owner/setup-link.ts';
import { tempDir } from '../../../helpers/tmp.ts';

const tmp = tempDir('sil-setup-link-');
afterAll(() => tmp.cleanup());

describe('setupLinkLine', () => {
  it('prints the one-time link once per address, all with the same token', async () => {
    const text = await setupLinkLine({ dataDir: join(tmp.path, 'a'), url: ['http://127.0.0.1:8080', 'http://192.168.1.10:8080/'] });
    const lines = text!.split('\n');
    expect(lines).toHaveLength(4);
    const [, first, second] = lines;
    const token = /^ {2}http:\/\/127\.0\.0\.1:8080\/setup#([\w-]{43})$/.exec(first)?.[1];
    expect(token).toBeDefined();
    expect(second).toBe(`  http://192.168.1.10:8080/setup#${token}`);
  });

  it('without a built console: no link and no token (an earlier link stays valid), and says how to get one', async () => {
    const dataDir = join(tmp.path, 'b');
    const text = await setupLinkLine({ dataDir, url: 'http://127.0.0.1:8080', consoleBuilt: false });
    expect(text).toBe('No owner account yet: the one-time setup link is printed once the console is built (`npm run build:console`, then start again).');
    expect(existsSync(join(dataDir, 'state', 'owner.json'))).toBe(false);
    await setupLinkLine({ dataDir, url: 'http://127.0.0.1:8080' });
    const issued = readFileSync(join(dataDir, 'state', 'owner.json'), 'utf8');
    await setupLinkLine({ dataDir, url: 'http://127.0.0.1:8080', consoleBuilt: false });
    expect(readFileSync(join(dataDir, 'state', 'owner.json'), 'utf8')).toBe(issued);
  });
});
