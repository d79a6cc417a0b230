// `sil backup`: an age-encrypted archive of the data directory's irreplaceable parts.
import { readFile } from 'node:fs/promises';
import { resolveDataDir } from '../config/data-dir.ts';
import { SilError } from '../errors.ts';
import { DATA_OPTION, type Command } from './command.ts';

const USAGE = `Usage: sil backup --out FILE|DIR/ --recipient age1... [--recipient age1...] [--data DIR]
       sil backup --out FILE|DIR/ --recipients-file FILE [--data DIR]

Writes one age-encrypted archive (mode 0600, written atomically) holding:
  config.bundle      git bundle of DIR/config.git, every ref (the whole history)
  keys/age.key       the hub's age identity (decrypts the vault)
  keys/signing(.pub) the hub's commit signing key
  state/owner.json   the owner account (password hash, authenticator), when set up
  manifest.json      version, time, the commit of main, the SHA-256 of every file
encrypted to the owner's offline age key(s) — never to a key kept on this machine. Safe while
the hub runs. \`sil restore\` reads it back; \`age -d -i OWNER_KEY FILE | tar -t\` lists it.

Options:
      --out PATH              the archive file; an existing directory (or a path ending in /)
                              gets sil-backup-<UTC time>.age inside it
      --recipient age1...     an owner recipient (\`age-keygen -y OWNER_KEY\` prints it); repeatable
      --recipients-file FILE  recipients, one per line (# comments)
  -d, --data DIR              data directory (default ./data, or SIL_DATA)`;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write an encrypted backup: config history, age identity, signing key, owner',
  usage: USAGE,
  options: { ...DATA_OPTION, out: { type: 'string', short: 'o' }, recipient: { type: 'string', short: 'r', multiple: true }, 'recipients-file': { type: 'string', short: 'R' } },
  async run(values, _p, io) {
    const out = values.out as string | undefined;
    if (!out) throw new SilError('SIL_USAGE', 'sil backup: missing --out FILE (or a directory)', { hint: 'run `sil backup --help`' });
    const file = values['recipients-file'] as string | undefined;
    const fileText = file === undefined ? undefined : await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new SilError('SIL_USAGE', `cannot read the recipients file ${file}: ${err.code ?? err.message}`);
    });
    const [{ parseRecipients }, { createBackup }] = await Promise.all([import('../backup/age-archive.ts'), import('../backup/create-backup.ts')]);
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const recipients = parseRecipients((values.recipient as string[] | undefined) ?? [], fileText, file);
    const r = await createBackup({ dataDir: resolveDataDir(values.data as string | undefined, io.env), out, recipients, silVersion: version });
    io.out(`wrote ${r.path} (${r.bytes} bytes, mode 0600)`);
    io.out(`  main at ${r.manifest.commit}, ${Object.keys(r.manifest.refs).filter((n) => n !== 'HEAD').length} ref(s); ${r.manifest.files.map((f) => f.path).join(', ')}`);
    io.out(`  encrypted to ${r.manifest.recipients.join(', ')}`);
    return 0;
  },
};
