// Instances that follow one remote config repository, as an operator sets them up: a "remote"
// bare repository seeded from a first data directory, sil.yaml `remote:` committed to it by plain
// git, then each instance's data directory made with `sil init --from <remote>` and a real hub
// started on it. A work clone of the remote plays the people who push to it.
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { initDataDir } from '../../../server/config/repo-init.ts';
import { initCommand } from '../../../server/cli/init.ts';
import { startHub, type Hub } from '../../../server/main.ts';
import { gitRun, commitFiles } from '../../helpers/git.ts';
import { tempDir } from '../../helpers/tmp.ts';

export interface Instance { hub: Hub; dataDir: string; logs: string[]; initOutput: string[] }

export interface RemoteSetup {
  dir: string;
  /** The remote (a bare repository; `url` of sil.yaml). */
  remote: string;
  /** A work clone of the remote, on main. */
  work: string;
  settings(extra?: string): string;
  /** Commits files in the work clone and pushes them to the remote with plain git; the new commit. */
  push(files: Record<string, string | null>, message?: string): string;
  remoteHead(): string;
  start(name: string, url?: string): Promise<Instance>;
  stop(): Promise<void>;
}

export async function setUpRemote(pullIntervalSeconds: number, remoteUrl?: (bare: string) => string): Promise<RemoteSetup> {
  const tmp = tempDir('sil-remote-');
  const remote = join(tmp.path, 'remote.git');
  const seed = await initDataDir(join(tmp.path, 'seed'));
  gitRun(tmp.path, ['clone', '-q', '--bare', seed.paths.gitdir, remote]);
  const work = join(tmp.path, 'work');
  gitRun(tmp.path, ['clone', '-q', remote, work]);
  const url = remoteUrl?.(remote) ?? remote;
  const settings = (extra = '') => `version: 1\nenvironments: [dev, prod]\nremote:\n  url: ${url}\n  pullIntervalSeconds: ${pullIntervalSeconds}\n${extra}`;
  const instances: Instance[] = [];
  const setup: RemoteSetup = {
    dir: tmp.path,
    remote,
    work,
    settings,
    push(files, message = 'pushed by plain git') {
      gitRun(work, ['pull', '-q', '--ff-only', 'origin', 'main']);
      const c = commitFiles(work, files, message);
      gitRun(work, ['push', '-q', 'origin', 'HEAD:main']);
      return c;
    },
    remoteHead: () => gitRun(remote, ['rev-parse', 'refs/heads/main']),
    async start(name, from = url) {
      const dataDir = join(tmp.path, name);
      const initOutput: string[] = [];
      const io = { out: (l: string) => initOutput.push(l), err: (l: string) => initOutput.push(l), stdin: process.stdin, env: process.env };
      const code = await initCommand.run({ data: dataDir, from }, [], io);
      if (code !== 0) throw new Error(`sil init --from failed: ${initOutput.join('\n')}`);
      const logs: string[] = [];
      const hub = await startHub({ dataDir, host: '127.0.0.1', port: 0, log: (l) => logs.push(l), consoleDir: null });
      const instance = { hub, dataDir, logs, initOutput };
      instances.push(instance);
      return instance;
    },
    async stop() {
      for (const i of instances) await i.hub.close().catch(() => {});
      tmp.cleanup();
    },
  };
  setup.push({ 'sil.yaml': settings() }, 'follow the remote');
  return setup;
}

/** Polls (bounded) until every hub serves `commit`; the milliseconds each took from `since`. */
export async function waitLive(hubs: Hub[], commit: string, since: number, ms = 15_000): Promise<number[]> {
  const took = hubs.map(() => -1);
  while (performance.now() - since < ms && took.includes(-1)) {
    hubs.forEach((h, i) => {
      if (took[i] < 0 && h.live.snapshot?.commit === commit) took[i] = Math.round(performance.now() - since);
    });
    await new Promise((r) => setTimeout(r, 5));
  }
  if (took.includes(-1)) throw new Error(`not live within ${ms} ms on every hub: ${hubs.map((h) => h.live.snapshot?.commit.slice(0, 7)).join(', ')} (want ${commit.slice(0, 7)})`);
  return took;
}

export const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function trigger(hubUrl: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${hubUrl}/sync/trigger`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}
