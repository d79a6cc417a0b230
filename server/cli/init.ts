import { resolveDataDir } from '../config/data-dir.ts';
import { DATA_OPTION, type Command } from './command.ts';

export const initCommand: Command = {
  name: 'init',
  summary: 'create the data directory and config repository without starting',
  usage: `Usage: sil init [--data DIR]

Creates DIR (default ./data, or SIL_DATA) with the bare config repository DIR/config.git
(first commit: sil.yaml, .sops.yaml, README.md), its pre-receive hook and the server's age
identity DIR/keys/age.key. Safe to run again: existing files are kept, the hook is refreshed.

Options:
  -d, --data DIR   data directory`,
  options: { ...DATA_OPTION },
  async run(values, _p, io) {
    const { initDataDir } = await import('../config/repo-init.ts');
    const result = await initDataDir(resolveDataDir(values.data as string | undefined, io.env));
    io.out(result.created ? `created ${result.paths.gitdir} (first commit ${result.commit})` : `${result.paths.gitdir} exists; hook refreshed`);
    io.out(`age identity: ${result.paths.ageKey} (back it up: it decrypts the vault)`);
    io.out(`signing key: ${result.paths.signingKey} (signs the hub's commits; \`sil signing allowed-signers\` prints the line for git's allowed-signers file)`);
    return 0;
  },
};
