// On a Node.js older than package.json `engines` allows, the README's commands stop at once with
// one line saying what to do. Runs with an older `node` found on the machine (Debian's, say);
// skipped, saying so, when there is none.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeVersionOk } from '../../../scripts/check-node.mjs';
import { SIL_BIN } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function olderNode(): { path: string; version: string } | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const dir of dirs) {
    const path = join(dir, 'node');
    if (!dir || path === process.execPath || !existsSync(path)) continue;
    const version = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout?.trim();
    if (version && /^v\d+\./.test(version) && !nodeVersionOk(version)) return { path, version };
  }
  return undefined;
}

const old = olderNode();
if (!old) console.warn('node-version.test.ts: skipped: no Node.js older than 22.19 on this machine');
const ONE_LINE = (version: string, command: string) =>
  `sil needs Node.js 22.19 or later (24 LTS recommended); this is ${version}. Run it with Node 24 from the npm registry: npx -y -p node@24 -- ${command}   (or install Node 24 LTS and run it again)\n`;

describe.skipIf(!old)(`an older Node.js (${old?.version})`, () => {
  // That node first on the PATH, as on a machine where it is the only one; not run from npm
  // (`npm test` of this suite sets npm_command).
  const env = { ...process.env, PATH: [dirname(old?.path ?? ''), ...(process.env.PATH ?? '').split(delimiter)].join(delimiter), npm_command: '', npm_lifecycle_event: '' };
  const run = (file: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(file, args, { cwd: ROOT, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 30_000 });

  it('`sil start` (bin/sil.js) exits 1 with one line and starts nothing', () => {
    const tmp = tempDir('sil-old-node-');
    try {
      const r = run(old!.path, [SIL_BIN, 'start', '--data', join(tmp.path, 'data'), '--port', '0']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(ONE_LINE(old!.version, `node ${SIL_BIN} start --data ${join(tmp.path, 'data')} --port 0`));
      expect(r.stdout).toBe('');
      expect(existsSync(join(tmp.path, 'data'))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('the check before `npm install` and `npm test` names the npm command to run with Node 24', () => {
    const install = run(old!.path, ['scripts/check-node.mjs'], { npm_command: 'install', npm_lifecycle_event: 'preinstall' });
    expect(install.status).toBe(1);
    expect(install.stderr).toBe(ONE_LINE(old!.version, 'npm install'));
    const test = run(old!.path, ['scripts/check-node.mjs'], { npm_command: 'test', npm_lifecycle_event: 'pretest' });
    expect(test.stderr).toBe(ONE_LINE(old!.version, 'npm test'));
  });

  it('npm runs that check with the node on the PATH, and stops', () => {
    // `npm run preinstall` is the preinstall script alone (no install, no download).
    const r = run('npm', ['run', '--silent', 'preinstall']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(ONE_LINE(old!.version, 'npm run preinstall'));
  });
});
