// `node bin/sil.js start` on a fresh clone (no admin/dist): the link it prints opens the setup
// page, or, when the console cannot be built, one line says how and no link is printed.
// The clone is of the committed HEAD of this repository; node_modules is a symlink to this
// checkout's (no npm install in tests).
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { existsSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clone as gitClone, gitRun } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { spawnSil, type SilProcess } from '../../helpers/sil-process.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = tempDir('sil-fresh-clone-');
const clone = join(tmp.path, 'sil');
let hub: SilProcess | undefined;

beforeAll(() => {
  gitClone(ROOT, clone);
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(clone, 'node_modules'));
});
afterEach(async () => {
  if (hub && hub.child.exitCode === null && hub.child.signalCode === null) {
    hub.child.kill('SIGTERM');
    await hub.exited(15_000).catch(() => hub?.child.kill('SIGKILL'));
  }
  hub = undefined;
});
afterAll(() => tmp.cleanup());

const startInClone = () => {
  hub = spawnSil(['start', '--port', '0'], { bin: join(clone, 'bin', 'sil.js'), cwd: clone });
  return hub;
};

describe('sil start on a fresh clone', () => {
  it('when the console cannot be built: one line says how to build it, and no setup link is printed', async () => {
    writeFileSync(join(clone, 'admin', 'astro.config.mjs'), "throw new Error('broken on purpose');\n");
    try {
      const p = startInClone();
      const [, url] = await p.waitFor(/sil listening on (http:\/\/\S+)/, 120_000);
      await p.waitFor(/No owner account yet.*\n/, 10_000);
      expect(p.output()).toContain(`console: not built (the build failed): run \`npm run build:console\` in ${clone}, then start again; until then the hub serves the API and the proxy only\n`);
      expect(p.output()).not.toMatch(/\/setup#/);
      expect(p.output()).toContain('No owner account yet: the one-time setup link is printed once the console is built (`npm run build:console`, then start again).');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited()).toBe(0);
    } finally {
      gitRun(clone, ['checkout', '--', 'admin/astro.config.mjs']);
    }
  }, 180_000);

  it('builds the console first; the printed link answers the setup page', async () => {
    expect(existsSync(join(clone, 'admin', 'dist'))).toBe(false);
    const p = startInClone();
    const [, link] = await p.waitFor(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/setup#[\w-]{43})$/m, 180_000);
    expect(p.output()).toMatch(/^console: building admin\/dist \(first start; a few seconds\)\nconsole: built in [\d.]+ s\n/);
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Set up the owner account · sil</title>');
    expect(existsSync(join(clone, 'data', 'hub.lock'))).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
    expect(existsSync(join(clone, 'data', 'hub.lock'))).toBe(false);
  }, 240_000);
});
