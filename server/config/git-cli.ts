// Runs the native git command. Native git is needed where isomorphic-git cannot go: reading a
// push's quarantined objects in the pre-receive hook, and locking compare-and-swap ref updates.
import { execFile } from 'node:child_process';
import { SilError } from '../errors.ts';

export interface GitRun {
  gitDir?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function git(args: string[], opts: GitRun = {}): Promise<Buffer> {
  const fullArgs = opts.gitDir ? ['--git-dir', opts.gitDir, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const text = Buffer.from(stderr).toString('utf8').trim();
          reject(new SilError('SIL_GIT_NATIVE', `git ${args[0]} failed: ${text || err.message}`, { cause: err }));
        } else resolve(Buffer.from(stdout));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
