import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'create the data directory and config repository without starting',
  usage: `Usage: sil init [--data DIR]
       sil init --from URL [--branch NAME] [--data DIR]

Creates DIR (default ./data, or SIL_DATA) with the bare config repository DIR/config.git
(first commit: sil.yaml, .sops.yaml, README.md), its pre-receive hook and the server's age
identity DIR/keys/age.key. Safe to run again: existing files are kept, the hook is refreshed.
Refuses while a hub runs on DIR (DIR/hub.lock).

With --from, DIR/config.git is made from the remote config repository URL instead (its branch
NAME, default main, becomes main), for a further instance that follows the same remote
(docs/remote-sync.md). DIR gets its own keys; the command prints what is left to do (share the
age identity or add the new recipient; allow the new signing key when commits must be signed).

Options:
  -d, --data DIR     data directory
      --from URL     https://..., ssh://..., user@host:path or an absolute path
      --branch NAME  the remote branch to start from (default main; with --from only)`,
  options: { ...DATA_OPTION, from: { type: 'string' }, branch: { type: 'string' } },
  async run(values, _p, io) {
    const { initDataDir, dataPaths } = await import('../config/repo-init.ts');
    const { acquireDataLock } = await import('../config/data-lock.ts');
    const dataDir = resolveDataDir(values.data as string | undefined, io.env);
    const from = values.from as string | undefined;
    const branch = values.branch as string | undefined;
    if (branch !== undefined && from === undefined) throw new SilError('SIL_USAGE', 'sil init: --branch needs --from', { hint: 'run `sil init --help`' });
    if (from !== undefined && !/^(https?:\/\/\S+|ssh:\/\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+|\/\S*)$/.test(from)) {
      throw new SilError('SIL_USAGE', `sil init: --from "${from}" is not a remote URL`, { hint: 'give https://host/path.git, ssh://..., user@host:path or an absolute path' });
    }
    if (branch !== undefined && !/^[A-Za-z0-9._/-]{1,100}$/.test(branch)) throw new SilError('SIL_USAGE', `sil init: invalid --branch "${branch}"`);
    // Not under a running hub (it refreshed the hook when it started), nor beside a second init.
    const lock = acquireDataLock(dataDir, {
      command: 'sil init',
      hint: (h, path) => `a running hub refreshed the hook when it started; to run init anyway, stop it first (kill ${h.pid}). The lock is ${path}.`,
    });
    try {
      let cloned: string | undefined;
      if (from !== undefined) {
        const { cloneConfigRepo } = await import('../remote/clone-config.ts');
        cloned = await cloneConfigRepo(dataPaths(dataDir).gitdir, from, branch ?? 'main');
      }
      const result = await initDataDir(dataDir);
      if (cloned) io.out(`created ${result.paths.gitdir} from ${from} ${branch ?? 'main'} (main at ${cloned})`);
      else io.out(result.created ? `created ${result.paths.gitdir} (first commit ${result.commit})` : `${result.paths.gitdir} exists; hook refreshed`);
      io.out(`age identity: ${result.paths.ageKey} (back it up: it decrypts the vault)`);
      io.out(`signing key: ${result.paths.signingKey} (signs the hub's commits; \`sil signing allowed-signers\` prints the line for git's allowed-signers file)`);
      if (cloned) {
        const { bootstrapAdvice } = await import('../remote/bootstrap-advice.ts');
        const { fileAt } = await import('../remote/clone-config.ts');
        const { allowedSignerLine } = await import('../config/allowed-signers.ts');
        const { loadHubIdentity } = await import('../vault/identity.ts');
        const hub = await loadHubIdentity(result.paths.ageKey);
        const [settingsText, sopsText] = await Promise.all([fileAt(result.paths.gitdir, cloned, 'sil.yaml'), fileAt(result.paths.gitdir, cloned, '.sops.yaml')]);
        io.out('');
        io.out('Still to do:');
        for (const line of bootstrapAdvice({
          url: from!, branch: branch ?? 'main', dataDir, settingsText, sopsText, recipient: hub.recipient,
          signerLine: allowedSignerLine(io.env.SIL_AUTHOR_EMAIL || 'sil@localhost', result.signingKey.publicKey),
        })) io.out(line);
      }
    } finally {
      lock.release();
    }
    return 0;
  },
};
