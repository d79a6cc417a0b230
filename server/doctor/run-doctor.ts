// `sil doctor`: gathers the facts of a deployment and runs every check over them, in the order
// an operator fixes things (the machine, the files, the keys, the repository, what runs).
import { dataPaths } from '../config/repo-init.ts';
import { fail, type CheckResult } from './check.ts';
import { checkDisk, checkClock, checkGit, checkListen, checkNode } from './checks-runtime.ts';
import { checkModes, checkOwnership } from './checks-files.ts';
import { checkAgeIdentity, checkSigningKey } from './checks-keys.ts';
import { checkConfig, checkHook, checkOwner } from './checks-repo.ts';
import { checkHub, checkRedis, checkRemote } from './checks-services.ts';
import { gatherFiles } from './gather-files.ts';
import { gatherRepo } from './gather-repo.ts';
import { diskSpace, gatherHub, gatherRedis, gatherRemote, gitVersion, readLock } from './gather-services.ts';

export interface DoctorOptions {
  dataDir: string;
  /** The hub's address to ask for /healthz (default: the URL in hub.lock). */
  url?: string;
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Where the running hub listens, from its URL. */
function listenAddress(url: string | undefined): { host: string | null; port: string | null } {
  if (!url) return { host: null, port: null };
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port || null };
  } catch {
    return { host: null, port: null };
  }
}

export async function runDoctor(opts: DoctorOptions): Promise<CheckResult[]> {
  const now = opts.now ?? Date.now;
  const { dataDir } = dataPaths(opts.dataDir);
  const lock = await readLock(dataDir);
  const [files, repo, git, disk] = await Promise.all([
    gatherFiles(dataDir, lock?.running ? lock.pid : null),
    gatherRepo(dataDir, now()),
    gitVersion(),
    diskSpace(dataDir),
  ]);
  const [hub, shared, remote] = await Promise.all([
    gatherHub(lock, opts.url, repo.head),
    gatherRedis(repo.settings, opts.env),
    gatherRemote(repo.settings, repo.head, opts.env),
  ]);
  const running = lock?.running ? listenAddress(lock.url) : { host: null, port: null };
  const checks: (() => CheckResult)[] = [
    () => checkNode(process.version),
    () => checkGit(git),
    () => checkOwnership(files),
    () => checkModes(files),
    () => checkAgeIdentity(repo.age),
    () => checkSigningKey(repo.signing),
    () => checkHook(repo.hook),
    () => checkConfig(repo.config),
    () => checkOwner(repo.owner),
    () => checkHub(hub),
    () => checkListen(running.host, running.port, repo.settings?.security?.trustedProxies ?? []),
    () => checkClock(shared.clock),
    () => checkRedis(shared.redis),
    () => checkRemote(remote),
    () => checkDisk(dataDir, disk),
  ];
  return checks.map((check, i) => {
    try {
      return check();
    } catch (err) {
      return fail(`check ${i + 1}`, `the check itself failed: ${(err as Error).message}`, 'report this with the output of `sil doctor`');
    }
  });
}
