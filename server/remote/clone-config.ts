// `sil init --from URL`: a new instance's config repository made from the remote one instead of
// a first commit. The remote branch is fetched into an empty bare repository and becomes its
// main; initDataDir then adds this instance's own keys, hook and folders around it.
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SilError } from '../errors.ts';
import { runGit, describeFailure } from './git-run.ts';
import { RemoteGit, RemoteGitError, type Timeouts } from './remote-git.ts';
import { displayRemote } from './remote-settings.ts';

const exists = (p: string) => access(p).then(() => true, () => false);

/** Creates `gitdir` holding the remote branch as main; returns main's commit. Leaves nothing behind when it fails. */
export async function cloneConfigRepo(gitdir: string, url: string, branch = 'main', timeouts: Partial<Timeouts> = {}): Promise<string> {
  if (await exists(join(gitdir, 'HEAD'))) {
    throw new SilError('SIL_DATA_DIR', `${gitdir} exists already; --from makes the config repository of a new data directory`, { hint: 'give an empty --data directory, or run `sil init` without --from' });
  }
  const git = new RemoteGit(gitdir, timeouts);
  const init = await runGit(['init', '--quiet', '--bare', '-b', 'main', gitdir], { timeoutMs: git.timeouts.localMs });
  if (init.code !== 0) throw new SilError('SIL_DATA_DIR', describeFailure(`git init ${gitdir}`, init, git.timeouts.localMs));
  try {
    const commit = await git.fetch(url, branch).catch((err: unknown) => {
      if (err instanceof RemoteGitError) throw new SilError('SIL_USAGE', `cannot fetch ${displayRemote(url)}: ${err.message}`, { hint: 'check the URL and that this machine may read it (SSH key, git credential helper)' });
      throw err;
    });
    if (!commit) throw new SilError('SIL_USAGE', `${displayRemote(url)} has no branch ${branch}`, { hint: 'give the branch with --branch, or push the config there first' });
    if (!(await git.compareAndSwap('refs/heads/main', commit, '', `init: from ${displayRemote(url)} ${branch}`))) {
      throw new SilError('SIL_DATA_DIR', `cannot create the branch main in ${gitdir}`);
    }
    return commit;
  } catch (err) {
    await rm(gitdir, { recursive: true, force: true });
    throw err;
  }
}

/** A file of the config at a commit, or null (sil.yaml, .sops.yaml). */
export async function fileAt(gitdir: string, commit: string, path: string): Promise<string | null> {
  const r = await runGit(['cat-file', 'blob', `${commit}:${path}`], { gitDir: gitdir, timeoutMs: 15_000 });
  return r.code === 0 ? r.stdout : null;
}
