import { resolveDataDir } from '../config/data-dir.ts';
import { DATA_OPTION, type Command } from './command.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'create the data directory and config repository without starting',
  usage: `Usage: sil init [--data DIR]

Creates DIR (default ./data, or SIL_DATA) with the bare config repository DIR/config.git
(first commit: sil.yaml, .sops.yaml, README.md), its pre-receive hook and the server's age
identity DIR/keys/age.key. Safe to run again: existing files are kept, the hook is refreshed.
Refuses while a hub runs on DIR (DIR/hub.lock).

Options:
  -d, --data DIR   data directory`,
  options: { ...DATA_OPTION },
  async run(values, _p, io) {
    const { initDataDir } = await import('../config/repo-init.ts');
    const { acquireDataLock } = await import('../config/data-lock.ts');
    const dataDir = resolveDataDir(values.data as string | undefined, io.env);
    // Not under a running hub (it refreshed the hook when it started), nor beside a second init.
    const lock = acquireDataLock(dataDir, {
      command: 'sil init',
      hint: (h, path) => `a running hub refreshed the hook when it started; to run init anyway, stop it first (kill ${h.pid}). The lock is ${path}.`,
    });
    const result = await initDataDir(dataDir).finally(() => lock.release());
    io.out(result.created ? `created ${result.paths.gitdir} (first commit ${result.commit})` : `${result.paths.gitdir} exists; hook refreshed`);
    io.out(`age identity: ${result.paths.ageKey} (back it up: it decrypts the vault)`);
    io.out(`signing key: ${result.paths.signingKey} (signs the hub's commits; \`sil signing allowed-signers\` prints the line for git's allowed-signers file)`);
    return 0;
  },
};
