// A real `sil start` (bin/sil.js in a child process, a fresh data directory, a free port) for the
// browser tests, with the one-time setup link it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SIL_BIN } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

export interface E2eHub {
  url: string;
  /** The one-time setup link printed by `sil start` (http://127.0.0.1:PORT/setup#TOKEN). */
  setupLink: string;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export function startSil(): Promise<E2eHub> {
  const tmp = tempDir('sil-e2e-');
  const dataDir = join(tmp.path, 'data');
  // --port 0: the hub listens on a free port and prints the URL (and setup link) with it.
  const child: ChildProcess = spawn(process.execPath, [SIL_BIN, 'start', '--data', dataDir, '--host', '127.0.0.1', '--port', '0'], {
    env: { ...process.env, SIL_DATA: '', SIL_PORT: '', SIL_HOST: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    tmp.cleanup();
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`sil start did not print its URL and setup link in 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /sil listening on (http:\/\/\S+)/.exec(output)?.[1];
      const setupLink = /^\s+(http:\/\/\S+\/setup#\S+)$/m.exec(output)?.[1];
      if (url && setupLink) {
        clearTimeout(timer);
        resolve({ url, setupLink, dataDir, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sil start exited with ${code}:\n${output}`));
    });
  });
}
