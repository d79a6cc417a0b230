// The Node.js version check that runs before `npm install`, `npm test` and every `sil` command.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ENGINES, commandOf, nodeVersionOk, nodeVersionProblem } from '../../../scripts/check-node.mjs';

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

describe('scripts/check-node.mjs', () => {
  it('accepts 22.19 and later 22.x, and 24 on; refuses 22.11 to 22.18 (no type stripping by default before 22.18, undici 8 needs 22.19), 23 and older', () => {
    for (const v of ['v22.11.0', 'v22.12.0', 'v22.17.1', 'v22.18.0', 'v23.11.0', 'v20.20.2', 'v18.20.8', 'v21.7.3']) expect(nodeVersionOk(v), v).toBe(false);
    for (const v of ['v22.19.0', 'v22.21.1', 'v24.0.0', 'v24.21.0', '24.1.0', 'v25.2.1', 'v26.0.0']) expect(nodeVersionOk(v), v).toBe(true);
  });

  it('is what package.json (and its lock file) declare as engines.node', () => {
    expect(json('package.json').engines.node).toBe(ENGINES);
    expect(json('package-lock.json').packages[''].engines.node).toBe(ENGINES);
  });

  it('names the command to run again: the npm command, or node with the arguments', () => {
    expect(commandOf({ npm_command: 'install', npm_lifecycle_event: 'preinstall' }, [])).toBe('npm install');
    expect(commandOf({ npm_command: 'ci', npm_lifecycle_event: 'preinstall' }, [])).toBe('npm ci');
    expect(commandOf({ npm_command: 'test', npm_lifecycle_event: 'pretest' }, [])).toBe('npm test');
    expect(commandOf({ npm_command: 'start', npm_lifecycle_event: 'start' }, ['/n', '/p/bin/sil.js', 'start'])).toBe('npm start');
    expect(commandOf({ npm_command: 'run', npm_lifecycle_event: 'bench:config' }, [])).toBe('npm run bench:config');
    expect(commandOf({ npm_command: 'exec', npm_lifecycle_event: 'npx' }, ['/n', '/p/bin/sil.js', 'start', '--port', '9000'])).toBe('node /p/bin/sil.js start --port 9000');
    expect(commandOf({}, ['/usr/bin/node', '/p/bin/sil.js', 'validate'])).toBe('node /p/bin/sil.js validate');
  });

  it('says in one line what to do when the version is too old, nothing when it is fine', () => {
    const line = nodeVersionProblem('v22.12.0', 'npm install');
    expect(line).toBe('sil needs Node.js 22.19 or later (24 LTS recommended); this is v22.12.0. Run it with Node 24 from the npm registry: npx -y -p node@24 -- npm install   (or install Node 24 LTS and run it again)');
    expect(nodeVersionProblem('v24.21.0', 'npm install')).toBeNull();
  });
});
