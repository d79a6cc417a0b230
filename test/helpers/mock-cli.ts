// `sil mock openai` as a child process, as a user runs it in a second terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { SIL_BIN } from './cli.ts';

export interface MockCli { child: ChildProcess; url: string; stdout: () => string; stderr: () => string }

/** Starts `sil mock openai --port 0` and resolves once it prints its URL (`http://127.0.0.1:N/v1`). */
export function startMockCli(): Promise<MockCli> {
  const child = spawn(process.execPath, [SIL_BIN, 'mock', 'openai', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`sil mock did not come up:\n${stdout}${stderr}`)); }, 20_000);
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stdout: () => stdout, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sil mock exited with ${code}:\n${stdout}${stderr}`)); });
  });
}

/** Sends `signal` (Ctrl-C is SIGINT) and resolves with the exit code; SIGKILL after 10 s. */
export function stopWith(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.kill(signal);
  });
}
