// admin/ has its own tsconfig (DOM library, Preact JSX, Vite's import.meta.glob): the root
// `tsc --noEmit` (test/unit/typecheck.test.ts) does not include it, this checks it under strict.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('console typescript', () => {
  it('tsc --noEmit -p admin is clean under strict', () => {
    const admin = fileURLToPath(new URL('../../../admin/', import.meta.url));
    const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', admin], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
