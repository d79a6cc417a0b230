import { initDataDir } from '../config/repo-init.ts';
import { dataDirFrom } from '../main.ts';
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
    const result = await initDataDir(dataDirFrom(values as { data?: string }, io.env));
    io.out(result.created ? `created ${result.paths.gitdir} (first commit ${result.commit})` : `${result.paths.gitdir} exists; hook refreshed`);
    io.out(`age identity: ${result.paths.ageKey} (back it up: it decrypts the vault)`);
    return 0;
  },
};
