// Runs the real `sil` command (bin/sil.js) in a child process without blocking the test's event
// loop, for tests whose servers (a mock provider) live in the test process: spawnSync would
// freeze them while the command waits for their answer.
import { spawn } from 'node:child_process';
import { SIL_BIN } from './cli.ts';

export function silAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIL_BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sil ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms:\n${stdout}${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}
