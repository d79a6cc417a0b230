// The pre-receive hook runs sil with the Node that installed it, or the `node` on PATH when that
// one has gone away (an npx cache cleaned), rather than failing every push.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookScript } from '../../../server/config/repo-init.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('hook script', () => {
  it("runs `sil hook pre-receive` with the installing Node, else the PATH's node", () => {
    const tmp = tempDir('sil-hook-script-');
    try {
      const stub = join(tmp.path, 'node');
      writeFileSync(stub, '#!/bin/sh\necho "stub node: $*"\n');
      chmodSync(stub, 0o755);
      const env = { PATH: `${tmp.path}:/usr/bin:/bin` };
      const installed = join(tmp.path, 'installed.sh');
      writeFileSync(installed, hookScript().replace(process.execPath, stub));
      expect(execFileSync('sh', [installed], { env, encoding: 'utf8' })).toMatch(/^stub node: .*bin\/sil\.js hook pre-receive\n$/);
      const gone = join(tmp.path, 'gone.sh');
      writeFileSync(gone, hookScript().replace(process.execPath, join(tmp.path, 'no-such-node')));
      expect(execFileSync('sh', [gone], { env, encoding: 'utf8' })).toMatch(/^stub node: .*bin\/sil\.js hook pre-receive\n$/);
      expect(hookScript()).toContain(`node="${process.execPath}"`);
    } finally {
      tmp.cleanup();
    }
  });
});
