// `sil restore`: a backup archive into a new data directory, checked before anything lands.
import { SilError } from '../errors.ts';
import type { Command } from './command.ts';

const USAGE = `Usage: sil restore --from FILE --identity OWNER_KEY_FILE --data NEWDIR

Restores an archive of \`sil backup\` into NEWDIR, which must not exist or be empty:
  1. decrypts FILE with the owner's age key (OWNER_KEY_FILE, made by age-keygen)
  2. checks every file against the manifest's SHA-256s and \`git bundle verify\`
  3. builds NEWDIR/config.git (bare, every ref, main as HEAD, the pre-receive hook),
     NEWDIR/keys (0700; age.key and signing 0600) and NEWDIR/state/owner.json (0600)
  4. checks that the config at main loads and every secrets file decrypts with the
     restored identity
Only then does NEWDIR appear (a folder built beside it is renamed into place); a refused
archive, a wrong identity or a failed check leaves nothing behind. Then start a hub on
NEWDIR (as the user it runs as: chown -R sil:sil NEWDIR) and run \`sil doctor --data NEWDIR\`.

Options:
      --from FILE          the archive
  -i, --identity FILE      the owner's age identity file the archive was encrypted to
  -d, --data NEWDIR        the data directory to create`;

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup archive into a new data directory, checked first',
  usage: USAGE,
  options: { from: { type: 'string' }, identity: { type: 'string', short: 'i' }, data: { type: 'string', short: 'd' } },
  async run(values, _p, io) {
    const missing = (['from', 'identity', 'data'] as const).filter((k) => !values[k]);
    if (missing.length) throw new SilError('SIL_USAGE', `sil restore: missing ${missing.map((k) => `--${k}`).join(', ')}`, { hint: 'run `sil restore --help`' });
    const { restoreBackup } = await import('../backup/restore-backup.ts');
    const r = await restoreBackup({ from: values.from as string, identityFile: values.identity as string, dataDir: values.data as string });
    const m = r.manifest;
    io.out(`restored ${r.dataDir} from a backup of ${m.host} taken ${m.created} (sil ${m.silVersion})`);
    io.out(`  config.git: main at ${m.commit}, ${r.refs} ref(s), pre-receive hook installed`);
    io.out(`  ${r.restored.join(', ')}`);
    const c = r.config;
    io.out(`  config loads: ${c.providers} providers, ${c.bindings} bindings, ${c.clients} clients; ${c.secretsFiles} secrets files, ${c.keys} keys decrypted with the restored identity`);
    io.out(`next: chown -R <hub user> ${r.dataDir}, start the hub with --data ${r.dataDir}, then \`sil doctor --data ${r.dataDir}\``);
    return 0;
  },
};
