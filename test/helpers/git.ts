// Real git for tests: clone, commit and push like a power user would.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFiles } from './tmp.ts';

const IDENTITY = ['-c', 'user.name=Test Owner', '-c', 'user.email=owner@example.test', '-c', 'commit.gpgsign=false'];

export function gitRun(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

/** Runs git and returns its exit status and combined output instead of throwing. */
export function gitTry(cwd: string, args: string[]): { status: number; output: string } {
  const r = spawnSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

export function clone(bare: string, into: string): string {
  gitRun(join(into, '..'), ['clone', '-q', bare, into]);
  return into;
}

/** Writes files (null deletes), commits everything and returns the new commit id. */
export function commitFiles(work: string, files: Record<string, string | Uint8Array | null>, message = 'test change'): string {
  const writes: Record<string, string | Uint8Array> = {};
  for (const [path, content] of Object.entries(files)) {
    if (content === null) gitRun(work, ['rm', '-q', path]);
    else writes[path] = content;
  }
  writeFiles(work, writes);
  gitRun(work, ['add', '-A']);
  gitRun(work, ['commit', '-q', '-m', message]);
  return gitRun(work, ['rev-parse', 'HEAD']);
}

/**
 * Writes a commit straight into a bare repository with plumbing, bypassing the pre-receive
 * hook (as a user with shell access to the server could).
 */
export function commitPastHook(bare: string, files: Record<string, string>, message = 'written past the hook'): string {
  const parent = gitRun(bare, ['rev-parse', 'refs/heads/main']);
  const env = { ...process.env, GIT_INDEX_FILE: join(bare, 'tmp-index') };
  const run = (args: string[], input?: string) =>
    execFileSync('git', [...IDENTITY, ...args], { cwd: bare, env, input, encoding: 'utf8' }).trim();
  run(['read-tree', parent]);
  for (const [path, content] of Object.entries(files)) {
    const blob = run(['hash-object', '-w', '--stdin'], content);
    run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
  }
  const tree = run(['write-tree']);
  const commit = run(['commit-tree', tree, '-p', parent, '-m', message]);
  run(['update-ref', 'refs/heads/main', commit, parent]);
  execFileSync('rm', ['-f', join(bare, 'tmp-index')]);
  return commit;
}
